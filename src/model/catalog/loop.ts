import { z } from 'zod';
import { defineBlock } from './descriptor.ts';
import { common, expression } from './fields.ts';

export const loopBlock = defineBlock({
  label: 'Loop',
  description: 'Run children for each item',
  icon: 'repeat',
  configSchema: z.strictObject({
    ...common,
    items: expression,
    concurrency: z.number().int().min(1).max(100).default(1),
    maxIterations: z.number().int().min(1).max(100_000).default(1000),
  }),
  defaultConfig: { items: 'input.items' },
  outputs: [null],
  // Its children run as child executions.
  effects: 'external',
  container: { entry: 'for each item' },
  journeyKind: 'tool',
});
