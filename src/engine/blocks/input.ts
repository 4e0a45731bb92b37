import { configOf } from './config.ts';
import type { BlockRunner } from './types.ts';

/** Parks the execution until someone provides values matching the schema (API, chat or UI). */
export const runInputBlock: BlockRunner = async (ctx) => {
  const config = configOf(ctx, 'input');
  return { kind: 'waiting', reason: 'input', prompt: String(await ctx.render(config.prompt)), schema: config.schema };
};
