import { chunkText } from '../src/knowledge/chunk.ts';
import { createInternalEmbedder } from '../src/knowledge/embedding/internal.ts';
import { loadEvalSet } from './knowledge-eval.ts';
import { CHUNKING, measureQuality, MODES, type QualityReport } from './knowledge-quality.ts';
import { ReferenceSearch, type IndexedChunk, type Mode } from './knowledge-search.ts';
import { envCount, fmt, median, percentile, progress, type Benchmark, type Section } from './machine.ts';

/** Corpus sizes the query latency is measured at; BENCH_KNOWLEDGE_MAX lowers the largest for a quick run. */
const SIZES = [...new Set([10_000, Math.max(10_000, envCount('BENCH_KNOWLEDGE_MAX', 100_000))])];
const QUERIES = 200;
const BATCH = 64;

export interface KnowledgeRound {
  quality: QualityReport;
  /** Table load on the worker, and the first `embed` call as a caller sees it (worker start included). */
  loadMs: number;
  firstCallMs: number;
  /** Chunks per second, chunking and embedding alone in batches of BATCH (the service's end-to-end figure is in quality). */
  embedPerSecond: number;
  latency: Array<{ chunks: number; mode: Mode; p50: number; p99: number }>;
  rssMiB: number;
}

/** `size` chunks cut from the evaluation documents, each made distinct by a rotated window over their paragraphs. */
function corpus(size: number): IndexedChunk[] {
  const paragraphs = loadEvalSet()
    .documents.flatMap((d) => chunkText(d.text, CHUNKING))
    .map((c) => ({ text: c.text, headingPath: c.headingPath }));
  return Array.from({ length: size }, (_, i) => {
    const base = paragraphs[i % paragraphs.length]!;
    const other = paragraphs[(i * 7919) % paragraphs.length]!;
    return { headingPath: base.headingPath, text: `${base.text}\n\n${other.text.slice(0, 200)}` };
  });
}

export const benchmark: Benchmark<KnowledgeRound> = {
  rounds: envCount('BENCH_ROUNDS', 3),
  async round() {
    progress('knowledge: retrieval quality on the evaluation set');
    const quality = await measureQuality();
    const embedder = createInternalEmbedder();
    try {
      const started = performance.now();
      await embedder.embed(['warm up'], 'query');
      const firstCallMs = performance.now() - started;
      const { loadMs } = await embedder.load();

      const documents = loadEvalSet().documents;
      progress('knowledge: chunk + embed throughput');
      const ingestStart = performance.now();
      let ingested = 0;
      for (let repeat = 0; repeat < 10; repeat++)
        for (const document of documents) {
          const chunks = chunkText(document.text, CHUNKING);
          for (let from = 0; from < chunks.length; from += BATCH) {
            const batch = chunks.slice(from, from + BATCH);
            await embedder.embed(
              batch.map((c) => `${c.headingPath.join(' ')}\n${c.text}`),
              'document',
            );
            ingested += batch.length;
          }
        }
      const embedPerSecond = ingested / ((performance.now() - ingestStart) / 1000);

      const questions = loadEvalSet().questions.map((q) => q.question);
      const latency: KnowledgeRound['latency'] = [];
      for (const size of SIZES) {
        progress(`knowledge: query latency at ${size} chunks`);
        const chunks = corpus(size);
        const vectors: Float32Array[] = [];
        for (let from = 0; from < chunks.length; from += 1000)
          vectors.push(
            ...(await embedder.embed(
              chunks.slice(from, from + 1000).map((c) => `${c.headingPath.join(' ')}\n${c.text}`),
              'document',
            )),
          );
        const search = await ReferenceSearch.build(chunks, vectors, embedder);
        try {
          for (const mode of MODES) {
            const times: number[] = [];
            for (let i = 0; i < QUERIES; i++) {
              const t0 = performance.now();
              await search.search(questions[i % questions.length]!, mode, 5);
              times.push(performance.now() - t0);
            }
            latency.push({ chunks: size, mode, p50: percentile(times, 50), p99: percentile(times, 99) });
          }
        } finally {
          await search.close();
        }
      }
      return { quality, loadMs, firstCallMs, embedPerSecond, latency, rssMiB: process.memoryUsage().rss / 2 ** 20 };
    } finally {
      await embedder.close();
    }
  },
  report(rounds): Section {
    const first = rounds[0]!.quality;
    const m = (pick: (r: KnowledgeRound) => number) => median(rounds.map(pick));
    const rows = MODES.map((mode) => [
      `${mode} — recall@5 / MRR`,
      `${fmt(first.modes[mode].recallAt5, 3)} / ${fmt(first.modes[mode].mrr, 3)}`,
    ]);
    return {
      title: 'Knowledge retrieval (offline embedder)',
      about:
        `Quality on the evaluation set (eval/knowledge/: ${first.questions} questions written from ${first.documents} ` +
        `public-domain SQLite documents, ${first.chunks} chunks of ${CHUNKING.size} characters): recall@5 and MRR for ` +
        'full-text, vector (offline embedder `internal:wv100-sif-1`) and hybrid (reciprocal rank fusion), searched ' +
        'through the real KnowledgeService on an in-memory embedded database with pgvector; ingest end to end is the ' +
        'same run (add, parse, chunk, embed, write). Chunk + embed alone: the documents ten times over, in batches of ' +
        `${BATCH}. Query latency: ${QUERIES} questions, one at a time, over synthetic corpora built from the same ` +
        'documents, on the reference SQL of bench/knowledge-search.ts (full-text in PGlite, exact cosine in ' +
        "JavaScript), not yet the store's own search.",
      table: [
        ['', 'value'],
        ...rows,
        [
          'ingest end to end through the service (chunks/s)',
          fmt(
            m((r) => r.quality.ingestPerSecond),
            0,
          ),
        ],
        [
          'chunk + embed alone (chunks/s)',
          fmt(
            m((r) => r.embedPerSecond),
            0,
          ),
        ],
        [
          'table load on the worker (ms)',
          fmt(
            m((r) => r.loadMs),
            0,
          ),
        ],
        [
          'first embed call, worker start included (ms)',
          fmt(
            m((r) => r.firstCallMs),
            0,
          ),
        ],
        ...rounds[0]!.latency.map((l, i) => [
          `${l.mode} query at ${fmt(l.chunks, 0)} chunks — p50 / p99 (ms)`,
          `${fmt(
            m((r) => r.latency[i]!.p50),
            2,
          )} / ${fmt(
            m((r) => r.latency[i]!.p99),
            2,
          )}`,
        ]),
        [
          'RSS after the run (MiB)',
          fmt(
            m((r) => r.rssMiB),
            0,
          ),
        ],
      ],
      notes: ['Quality does not depend on load (same figures every round); timings do.'],
    };
  },
};
