import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeTable, encodeTable, type WordTable } from '../../../src/knowledge/embedding/table.ts';

const small: WordTable = {
  meta: { source: 'test', words: 2, dimensions: 3, sifA: 1e-4 },
  words: ['river', 'boat'],
  weights: Float32Array.of(0.5, 0.9),
  scales: Float32Array.of(0.01, 0.02, 0.03),
  vectors: Int8Array.of(1, -2, 3, 127, -127, 0),
};

describe('the word-vector table file', () => {
  it('reads back exactly what was written', () => {
    const back = decodeTable(encodeTable(small));
    expect(back.meta).toEqual(small.meta);
    expect(back.words).toEqual(small.words);
    expect([...back.weights]).toEqual([...small.weights]);
    expect([...back.scales]).toEqual([...small.scales]);
    expect([...back.vectors]).toEqual([...small.vectors]);
  });

  it('refuses a file that is not a table, or is cut short, saying so', () => {
    const bytes = encodeTable(small);
    expect(() => decodeTable(new TextEncoder().encode('{"words": []}'))).toThrow('not a Duet word-vector table');
    expect(() => decodeTable(bytes.subarray(0, bytes.length - 1))).toThrow('truncated');
  });

  it('ships with Duet: 65,536 words of 100 dimensions, weights in (0, 1]', () => {
    const table = decodeTable(
      readFileSync(new URL('../../../src/knowledge/embedding/word-vectors.bin', import.meta.url)),
    );
    expect(table.meta).toMatchObject({ words: 65_536, dimensions: 100 });
    expect(table.words).toContain('refund');
    expect(table.weights.every((w) => w > 0 && w <= 1)).toBe(true);
  });
});
