/**
 * The binary layout of the offline embedder's word-vector table (built by scripts/build-word-vectors.ts):
 * magic, a JSON header, the words (one per line), then float32 SIF weights, float32 per-dimension scales and int8
 * vectors, all little-endian. Pure: bytes in, arrays out.
 */
export interface WordTableMeta {
  source: string;
  words: number;
  dimensions: number;
  /** SIF's a, for the record (the weights are already computed with it). */
  sifA: number;
}

export interface WordTable {
  meta: WordTableMeta;
  words: string[];
  /** SIF weight per word, same order as `words`. */
  weights: Float32Array;
  /** Dequantization scale per dimension: value = vectors[i·dims + d] · scales[d]. */
  scales: Float32Array;
  vectors: Int8Array;
}

const MAGIC = 'DUETWV1\n';

export function encodeTable(table: WordTable): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify(table.meta));
  const words = new TextEncoder().encode(table.words.join('\n'));
  const parts: Uint8Array[] = [
    new TextEncoder().encode(MAGIC),
    u32(header.length),
    header,
    u32(words.length),
    words,
    new Uint8Array(table.weights.buffer, table.weights.byteOffset, table.weights.byteLength),
    new Uint8Array(table.scales.buffer, table.scales.byteOffset, table.scales.byteLength),
    new Uint8Array(table.vectors.buffer, table.vectors.byteOffset, table.vectors.byteLength),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function decodeTable(bytes: Uint8Array): WordTable {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder();
  if (decoder.decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) throw new Error('not a Duet word-vector table');
  let at = MAGIC.length;
  const take = (length: number): Uint8Array => {
    if (at + length > bytes.length) throw new Error('the word-vector table is truncated');
    const part = bytes.subarray(at, at + length);
    at += length;
    return part;
  };
  const readU32 = (): number => {
    const value = view.getUint32(at, true);
    at += 4;
    return value;
  };
  const meta = JSON.parse(decoder.decode(take(readU32()))) as WordTableMeta;
  const words = decoder.decode(take(readU32())).split('\n');
  if (words.length !== meta.words)
    throw new Error(`the word-vector table lists ${words.length} of ${meta.words} words`);
  // Copied into fresh, aligned buffers: the file's offsets are not multiples of 4 (and Buffer#slice does not copy).
  const copy = (length: number): ArrayBuffer => new Uint8Array(take(length)).buffer;
  const weights = new Float32Array(copy(meta.words * 4));
  const scales = new Float32Array(copy(meta.dimensions * 4));
  const vectors = new Int8Array(copy(meta.words * meta.dimensions));
  if (at !== bytes.length) throw new Error('the word-vector table has trailing bytes');
  return { meta, words, weights, scales, vectors };
}

function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, true);
  return out;
}
