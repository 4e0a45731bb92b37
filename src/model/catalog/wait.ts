import { z } from 'zod';
import { defineBlock } from './descriptor.ts';
import { common, template } from './fields.ts';

export const waitBlock = defineBlock({
  label: 'Wait',
  description: 'Pause for a while',
  icon: 'clock',
  configSchema: z.union(
    [
      z.strictObject({
        ...common,
        durationMs: z
          .number()
          .int()
          .min(0)
          .max(366 * 24 * 3_600_000),
      }),
      z.strictObject({ ...common, until: template.min(1) }),
    ],
    { error: 'a wait needs either durationMs (a number of milliseconds) or until (an ISO time or template)' },
  ),
  defaultConfig: { durationMs: 1000 },
  outputs: [null],
  effects: 'external',
  journeyKind: 'tool',
});
