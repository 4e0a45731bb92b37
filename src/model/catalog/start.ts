import { z } from 'zod';
import { defineBlock } from './descriptor.ts';
import { common } from './fields.ts';

export const startBlock = defineBlock({
  label: 'Start',
  description: 'Where every run begins',
  icon: 'play',
  configSchema: z.strictObject({ ...common }),
  defaultConfig: {},
  outputs: [null],
  effects: 'none',
  journeyKind: 'initial',
});
