import { Worker } from 'node:worker_threads';
import type { Embedder } from '../embedder.ts';
import type { EmbedReply, EmbedRequest } from './worker.ts';

const ENTRY = new URL('./worker-entry.js', import.meta.url);
const DIMENSIONS = 100;

interface Pending {
  resolve(vectors: Float32Array[]): void;
  reject(error: Error): void;
  count: number;
}

/** What the worker reported when it loaded the table: for logs, /health and the benchmark. */
export interface InternalEmbedderStats {
  loadMs: number;
  words: number;
}

/**
 * The offline default embedder: SIF-weighted averages of a compact GloVe word-vector table that ships with Duet
 * (src/knowledge/embedding/word-vectors.bin, ~7 MB; docs/adr/0010). Nothing is downloaded and no key is needed.
 * The table is loaded on the first `embed` call, on a worker thread that also does the embedding, so neither the
 * server's start nor its requests wait on it. The worker keeps the process alive only while a call is pending; if it
 * dies, its pending calls fail and the next call starts a new one.
 */
export class InternalEmbedder implements Embedder {
  /** Bump the suffix whenever the table or the tokenizer changes: bases embedded with another id are re-embedded. */
  readonly id = 'internal:wv100-sif-1';
  readonly dimensions = DIMENSIONS;
  private worker: Worker | undefined;
  private ready: Promise<InternalEmbedderStats> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private users = 0;

  async embed(texts: readonly string[], _purpose: 'document' | 'query'): Promise<Float32Array[]> {
    // Documents and queries are embedded alike: SIF vectors are symmetric.
    if (texts.length === 0) return [];
    return this.busy(async (worker) => {
      await this.ready;
      return new Promise<Float32Array[]>((resolve, reject) => {
        const id = this.nextId++;
        this.pending.set(id, { resolve, reject, count: texts.length });
        worker.postMessage({ id, texts } satisfies EmbedRequest);
      });
    });
  }

  /** Loads the table now (it is otherwise loaded by the first `embed`) and says how long that took. */
  load(): Promise<InternalEmbedderStats> {
    return this.busy(() => this.ready!);
  }

  /** Stops the worker, failing calls in progress; a later `embed` starts a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.fail(worker, new Error('the embedder was closed'));
    await worker.terminate();
  }

  /** Runs `work` with the worker holding the process open; an idle worker does not keep it alive. */
  private async busy<T>(work: (worker: Worker) => Promise<T>): Promise<T> {
    const worker = this.start();
    this.users++;
    worker.ref();
    try {
      return await work(worker);
    } finally {
      if (--this.users === 0) worker.unref();
    }
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(ENTRY);
    this.worker = worker;
    this.ready = new Promise<InternalEmbedderStats>((resolve, reject) => {
      worker.on('message', (reply: EmbedReply) => {
        if (reply.kind === 'ready') resolve({ loadMs: reply.loadMs, words: reply.words });
        else if (reply.kind === 'load_error') reject(new Error(`the word-vector table did not load: ${reply.message}`));
        else this.settle(reply);
      });
      worker.on('error', (error) => {
        reject(error);
        this.fail(worker, error);
      });
      worker.on('exit', (code) => {
        const error = new Error(`the embedding worker stopped (exit code ${code})`);
        reject(error);
        this.fail(worker, error);
      });
    });
    return worker;
  }

  private settle(reply: Extract<EmbedReply, { id: number }>): void {
    const call = this.pending.get(reply.id);
    if (!call) return;
    this.pending.delete(reply.id);
    if (reply.kind === 'error') return call.reject(new Error(`embedding failed: ${reply.message}`));
    const vectors: Float32Array[] = [];
    for (let i = 0; i < call.count; i++) vectors.push(reply.vectors.slice(i * DIMENSIONS, (i + 1) * DIMENSIONS));
    call.resolve(vectors);
  }

  private fail(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.ready = undefined;
    for (const call of this.pending.values()) call.reject(error);
    this.pending.clear();
  }
}

/** One per process is enough (the composition root's): each instance has its own worker and table (~50 MiB). */
export function createInternalEmbedder(): InternalEmbedder {
  return new InternalEmbedder();
}
