import { configOf } from './config.ts';
import type { BlockRunner } from './types.ts';

/** Takes the `true` or `false` edge by the truthiness of its expression. */
export const runConditionBlock: BlockRunner = async (ctx) => {
  const { expression } = configOf(ctx, 'condition');
  const value = await ctx.evaluate(expression);
  const result = Boolean(value);
  return { kind: 'completed', output: { result, value: value ?? null }, handle: String(result) };
};
