import { configOf } from './config.ts';
import type { BlockRunner } from './types.ts';

/** Takes the first route whose expression is truthy, else the default route. */
export const runRouterBlock: BlockRunner = async (ctx) => {
  const config = configOf(ctx, 'router');
  for (const route of config.routes) {
    if (await ctx.evaluate(route.expression))
      return { kind: 'completed', output: { route: route.name }, handle: route.name };
  }
  const fallback = config.default ?? 'default';
  return { kind: 'completed', output: { route: fallback }, handle: fallback };
};
