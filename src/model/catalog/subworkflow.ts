import { z } from 'zod';
import { defineBlock } from './descriptor.ts';
import { common, templated } from './fields.ts';

export const subworkflowBlock = defineBlock({
  label: 'Subworkflow',
  description: 'Run another workflow',
  icon: 'stack',
  configSchema: z.strictObject({
    ...common,
    workflowId: z.string().min(1, 'workflowId is required').max(200),
    version: z.number().int().min(1).optional(),
    input: templated.optional(),
  }),
  // A placeholder the schema accepts, so a block added by chat leaves the draft valid; a run says it does not exist.
  defaultConfig: { workflowId: 'choose-a-workflow' },
  outputs: [null],
  effects: 'external',
  journeyKind: 'tool',
});
