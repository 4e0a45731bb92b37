import { z } from 'zod';
import { inputSchemaSchema } from '../input-schema.ts';
import { defineBlock } from './descriptor.ts';
import { common, template } from './fields.ts';

export const inputBlock = defineBlock({
  label: 'Ask for input',
  description: 'A person fills in a form',
  icon: 'pencil',
  configSchema: z.strictObject({ ...common, prompt: template.min(1, 'prompt is required'), schema: inputSchemaSchema }),
  defaultConfig: {
    prompt: 'Please fill in',
    schema: { type: 'object', required: ['answer'], properties: { answer: { type: 'string' } } },
  },
  outputs: [null],
  effects: 'external',
  journeyKind: 'chat',
});
