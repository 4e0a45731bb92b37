import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { SifModel } from './sif.ts';
import { decodeTable } from './table.ts';

/** A batch to embed, as the embedder posts it. */
export interface EmbedRequest {
  id: number;
  texts: readonly string[];
}

/** The worker's answers: ready once the table is loaded (or why not), then one reply per request. */
export type EmbedReply =
  | { kind: 'ready'; loadMs: number; words: number }
  | { kind: 'load_error'; message: string }
  | { kind: 'vectors'; id: number; vectors: Float32Array }
  | { kind: 'error'; id: number; message: string };

export const TABLE_FILE = new URL('./word-vectors.bin', import.meta.url);

const port = parentPort!;
const started = performance.now();
let model: SifModel;
try {
  model = new SifModel(decodeTable(readFileSync(TABLE_FILE)));
  port.postMessage({
    kind: 'ready',
    loadMs: performance.now() - started,
    words: model.wordCount,
  } satisfies EmbedReply);
} catch (error) {
  port.postMessage({ kind: 'load_error', message: (error as Error).message } satisfies EmbedReply);
  process.exit(1);
}

port.on('message', ({ id, texts }: EmbedRequest) => {
  try {
    // One flat buffer per batch, transferred rather than copied.
    const out = new Float32Array(texts.length * model.dimensions);
    texts.forEach((text, i) => out.set(model.embed(text), i * model.dimensions));
    port.postMessage({ kind: 'vectors', id, vectors: out } satisfies EmbedReply, [out.buffer]);
  } catch (error) {
    port.postMessage({ kind: 'error', id, message: (error as Error).message } satisfies EmbedReply);
  }
});
