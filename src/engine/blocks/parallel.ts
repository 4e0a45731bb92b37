import type { BlockRunner } from './types.ts';

/** Runs its child branches concurrently and completes when all are done (the join). */
export const runParallelBlock: BlockRunner = async (ctx) => ({
  kind: 'children',
  concurrency: 1,
  collect: 'single',
  children: [{ scope: ctx.node.id, input: ctx.template.input, vars: { ...ctx.template.vars } }],
});
