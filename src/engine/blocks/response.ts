import { configOf } from './config.ts';
import type { BlockRunner } from './types.ts';

/** Renders the execution's output. */
export const runResponseBlock: BlockRunner = async (ctx) => {
  const config = configOf(ctx, 'response');
  return { kind: 'completed', output: await ctx.render(config.output) };
};
