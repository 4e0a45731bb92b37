/**
 * Retrieval quality on the evaluation set, as users get it: every document added to a knowledge base of the real
 * KnowledgeService (chunks of 1,000 characters with 100 of overlap, the offline embedder), then each question
 * searched in the three modes.
 */
import { createInternalEmbedder } from '../src/knowledge/embedding/internal.ts';
import { loadEvalSet, score, type Quality } from './knowledge-eval.ts';
import type { Mode } from './knowledge-search.ts';
import { StoreSearch } from './knowledge-store.ts';

export const CHUNKING = { size: 1000, overlap: 100 };
export const MODES: Mode[] = ['text', 'vector', 'hybrid'];

export interface QualityReport {
  documents: number;
  chunks: number;
  /** Chunks per second through the whole ingestion (parse, chunk, embed, write). */
  ingestPerSecond: number;
  questions: number;
  modes: Record<Mode, Quality>;
}

export async function measureQuality(dev = false): Promise<QualityReport> {
  const set = loadEvalSet(dev);
  const embedder = createInternalEmbedder();
  try {
    await embedder.load();
    const search = await StoreSearch.build(set.documents, embedder, CHUNKING);
    try {
      const modes = {} as Record<Mode, Quality>;
      for (const mode of MODES) {
        const rankings: string[][] = [];
        for (const q of set.questions) rankings.push(await search.search(q.question, mode, 10));
        modes[mode] = score(set.questions, rankings);
      }
      return {
        documents: set.documents.length,
        chunks: search.chunks,
        ingestPerSecond: search.chunks / search.ingestSeconds,
        questions: set.questions.length,
        modes,
      };
    } finally {
      await search.close();
    }
  } finally {
    await embedder.close();
  }
}
