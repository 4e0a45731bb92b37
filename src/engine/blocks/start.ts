import type { BlockRunner } from './types.ts';

/** The entry point: its output is the execution's input, so `steps.start.output` works too. */
export const runStartBlock: BlockRunner = async (ctx) => ({ kind: 'completed', output: ctx.template.input });
