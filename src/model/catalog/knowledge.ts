import { z } from 'zod';
import { defineBlock } from './descriptor.ts';
import { common, template } from './fields.ts';

/** Passages per lookup: enough for an answer with sources, few enough to fit in a prompt. */
export const MAX_KNOWLEDGE_K = 20;

export const knowledgeBlock = defineBlock({
  label: 'Knowledge',
  description: 'Look up passages in a knowledge base',
  icon: 'book',
  configSchema: z.strictObject({
    ...common,
    knowledgeBaseId: z.string().min(1, 'knowledgeBaseId is required: choose a knowledge base').max(200),
    query: template.min(1, 'query is required, e.g. "{{input.question}}"'),
    k: z.number().int().min(1).max(MAX_KNOWLEDGE_K).default(5),
    tags: z.array(z.string().min(1).max(100)).max(20).optional(),
  }),
  // A placeholder the schema accepts, so a block added by chat leaves the draft valid; a run says it does not exist.
  defaultConfig: { knowledgeBaseId: 'choose-a-knowledge-base', query: '{{input.question}}', k: 5 },
  outputs: [null],
  // It reads documents that change outside the execution, and embedding the query may call an embeddings
  // service: running it again need not give the same passages, so it is an effect boundary (ADR 0009).
  effects: 'external',
  journeyKind: 'tool',
});
