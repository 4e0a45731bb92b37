import { z } from 'zod';
import { defineBlock } from './descriptor.ts';
import { common } from './fields.ts';

export const parallelBlock = defineBlock({
  label: 'Parallel',
  description: 'Run children side by side',
  icon: 'lanes',
  configSchema: z.strictObject({ ...common }),
  defaultConfig: {},
  outputs: [null],
  // Its children run as child executions.
  effects: 'external',
  container: { entry: 'in parallel' },
  journeyKind: 'tool',
});
