import { configOf } from './config.ts';
import type { BlockRunner } from './types.ts';

/** Parks the execution until someone approves (edge `approved`) or rejects (edge `rejected`). */
export const runApprovalBlock: BlockRunner = async (ctx) => {
  const config = configOf(ctx, 'approval');
  return { kind: 'waiting', reason: 'approval', prompt: String(await ctx.render(config.prompt)) };
};
