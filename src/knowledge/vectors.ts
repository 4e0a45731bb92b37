/** The vector scaled to length 1, so cosine similarity is a dot product (the exact-cosine fallback relies on it). */
export function unitLength(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm);
  return norm === 0 ? vector : vector.map((x) => x / norm);
}

/** What is embedded for a chunk: its heading path, then its text (the same when ingesting and re-embedding). */
export const embeddingInput = (chunk: { headingPath: string[]; text: string }): string =>
  [...chunk.headingPath, chunk.text].join('\n');
