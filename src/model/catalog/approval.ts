import { z } from 'zod';
import { defineBlock } from './descriptor.ts';
import { common, template } from './fields.ts';

export const approvalBlock = defineBlock({
  label: 'Approval',
  description: 'A person approves or rejects',
  icon: 'check',
  configSchema: z.strictObject({ ...common, prompt: template.min(1, 'prompt is required') }),
  defaultConfig: { prompt: 'Approve?' },
  outputs: ['approved', 'rejected'],
  effects: 'external',
  journeyKind: 'chat',
});
