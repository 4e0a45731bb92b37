import { jsonSchema, tool, type Tool } from 'ai';
import {
  citationsOf,
  isKnowledgeOutput,
  passagesForPrompt,
  type Citation,
  type KnowledgeHit,
} from '../../model/knowledge-hits.ts';
import { StepError, type StepContext } from './types.ts';

/** Retrieved passages put in an agent's prompt, in all: a few pages, so the question still fits. */
const MAX_CONTEXT_CHARS = 12_000;
const TOOL_K = 5;

/** The passages an agent may cite: those of knowledge steps before it and those its tool finds, numbered apart. */
export class AgentSources {
  readonly citations: Citation[] = [];

  /** The system-prompt section for the outputs of knowledge steps that ran before the agent, if any. */
  fromSteps(ctx: StepContext): string | undefined {
    const sections = Object.values(ctx.template.steps)
      .filter(isKnowledgeOutput)
      .map((step) => this.section(step.knowledgeBase.id, step.knowledgeBase.name, step.chunks));
    return sections.length ? sections.join('\n\n') : undefined;
  }

  /** `search_knowledge`: the model looks up a knowledge base itself; each result is numbered after those it has. */
  tool(ctx: StepContext, knowledgeBaseId: string): Tool {
    const lookup = ctx.services.knowledge;
    if (!lookup) throw new StepError('this engine has no knowledge bases', 'knowledge_not_supported', false);
    return tool({
      description:
        'Searches the knowledge base for passages about a question. Cite the passages you use by their number, like [1].',
      inputSchema: jsonSchema<{ query: string }>({
        type: 'object',
        properties: { query: { type: 'string', description: 'what to look up, in a few words' } },
        required: ['query'],
      }),
      execute: async ({ query }) => {
        try {
          const { name, hits } = await lookup.search(ctx.workspaceId, knowledgeBaseId, { q: query, k: TOOL_K });
          return this.section(knowledgeBaseId, name, hits);
        } catch (error) {
          // The model hears why (an empty query, an unknown base) and can say so.
          return `The search failed: ${error instanceof Error ? error.message : String(error)}`;
        }
      },
    });
  }

  private section(knowledgeBaseId: string, name: string, hits: readonly KnowledgeHit[]): string {
    const numbered = citationsOf(knowledgeBaseId, hits).map((c) => ({ ...c, ref: c.ref + this.citations.length }));
    this.citations.push(...numbered);
    return passagesForPrompt(name, hits, numbered, MAX_CONTEXT_CHARS);
  }
}
