import { DuetError } from '../../model/errors.ts';
import { citationsOf, type KnowledgeOutput } from '../../model/knowledge-hits.ts';
import { configOf } from './config.ts';
import { StepError, type BlockRunner } from './types.ts';

/** Looks up the best passages of a knowledge base for the rendered query; the output carries their citations. */
export const runKnowledgeBlock: BlockRunner = async (ctx) => {
  const config = configOf(ctx, 'knowledge');
  const lookup = ctx.services.knowledge;
  if (!lookup) throw new StepError('this engine has no knowledge bases', 'knowledge_not_supported', false);
  const { query } = (await ctx.render({ query: config.query })) as { query: unknown };
  const q = (typeof query === 'string' ? query : JSON.stringify(query ?? '')).trim();
  if (!q) {
    throw new StepError(
      `the query rendered to nothing: "${config.query}" must yield the words to look up`,
      'invalid_query',
      false,
    );
  }
  try {
    const { name, hits } = await lookup.search(ctx.workspaceId, config.knowledgeBaseId, {
      q,
      k: config.k,
      ...(config.tags?.length ? { tags: config.tags } : {}),
    });
    const output: KnowledgeOutput = {
      query: q,
      knowledgeBase: { id: config.knowledgeBaseId, name },
      chunks: hits,
      citations: citationsOf(config.knowledgeBaseId, hits),
    };
    return { kind: 'completed', output };
  } catch (error) {
    throw toStepError(error, config.knowledgeBaseId);
  }
};

function toStepError(error: unknown, knowledgeBaseId: string): StepError {
  if (error instanceof StepError) return error;
  if (error instanceof DuetError && error.code === 'not_found') {
    return new StepError(
      `the knowledge base "${knowledgeBaseId}" does not exist in this workspace: choose one on the Knowledge page`,
      'unknown_knowledge_base',
      false,
    );
  }
  // A query the search refuses (too long, say) will be refused again; anything else may pass on a retry.
  if (error instanceof DuetError && error.status < 500) {
    return new StepError(`the knowledge search refused the query: ${error.message}`, 'invalid_query', false);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new StepError(`the knowledge search failed: ${message}`, 'knowledge_error', true);
}
