import { z } from 'zod';
import { defineBlock } from './descriptor.ts';
import { common, templated } from './fields.ts';

export const responseBlock = defineBlock({
  label: 'Response',
  description: "The run's result",
  icon: 'reply',
  configSchema: z.strictObject({ ...common, output: templated }),
  defaultConfig: { output: { done: true } },
  // A response ends its branch.
  outputs: [],
  effects: 'none',
  journeyKind: 'final',
});
