import { z } from 'zod';
import { defineBlock } from './descriptor.ts';
import { common, expression } from './fields.ts';

export const conditionBlock = defineBlock({
  label: 'Condition',
  description: 'Branch on true / false',
  icon: 'diamond',
  configSchema: z.strictObject({ ...common, expression }),
  defaultConfig: { expression: 'true' },
  outputs: ['true', 'false'],
  effects: 'none',
  journeyKind: 'fork',
});
