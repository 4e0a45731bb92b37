import { z } from 'zod';
import { defineBlock } from './descriptor.ts';
import { common } from './fields.ts';

export const functionBlock = defineBlock({
  label: 'Function',
  description: 'Run JavaScript in a sandbox',
  icon: 'code',
  configSchema: z.strictObject({ ...common, code: z.string().min(1, 'code is required').max(100_000) }),
  defaultConfig: { code: 'return { ok: true };' },
  outputs: [null],
  // The sandbox can neither call out nor keep state between runs.
  effects: 'none',
  journeyKind: 'tool',
});
