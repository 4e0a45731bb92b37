import { blockConfigSchemas, type BlockConfig, type BlockType } from '../../model/blocks.ts';
import { StepError, type StepContext } from './types.ts';

/** The node's config parsed (defaults filled) for its block type; a bad config never retries. */
export function configOf<T extends BlockType>(ctx: StepContext, type: T): BlockConfig<T> {
  const parsed = blockConfigSchemas[type].safeParse(ctx.config);
  if (!parsed.success) {
    throw new StepError(
      `the ${type} block "${ctx.node.name}" is misconfigured: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
      'invalid_config',
      false,
    );
  }
  return parsed.data as BlockConfig<T>;
}
