import { configOf } from './config.ts';
import { StepError, type BlockRunner } from './types.ts';

/** Runs another workflow's published version as a child execution and returns its output. */
export const runSubworkflowBlock: BlockRunner = async (ctx) => {
  const config = configOf(ctx, 'subworkflow');
  const input = config.input === undefined ? {} : await ctx.render(config.input);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new StepError('subworkflow input must render to an object of input values', 'invalid_input', false);
  }
  return {
    kind: 'children',
    concurrency: 1,
    collect: 'single',
    children: [
      {
        workflow: { workflowId: config.workflowId, version: config.version },
        input: input as Record<string, unknown>,
        vars: {},
      },
    ],
  };
};
