import { configOf } from './config.ts';
import { StepError, type BlockRunner } from './types.ts';

/** Runs its child nodes once per item, at most `concurrency` at a time; output is the list of results. */
export const runLoopBlock: BlockRunner = async (ctx) => {
  const config = configOf(ctx, 'loop');
  const items = await ctx.evaluate(config.items);
  if (!Array.isArray(items)) {
    throw new StepError(
      `loop items must evaluate to a list; "${config.items}" gave ${JSON.stringify(items)?.slice(0, 200) ?? 'nothing'}`,
      'invalid_items',
      false,
    );
  }
  if (items.length > config.maxIterations) {
    throw new StepError(
      `loop has ${items.length} items but maxIterations is ${config.maxIterations}; raise maxIterations or pass fewer items`,
      'too_many_items',
      false,
    );
  }
  return {
    kind: 'children',
    concurrency: config.concurrency,
    collect: 'list',
    children: items.map((item, index) => ({
      scope: ctx.node.id,
      input: ctx.template.input,
      vars: { ...ctx.template.vars, item, index },
    })),
  };
};
