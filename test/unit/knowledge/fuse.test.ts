import { describe, expect, it } from 'vitest';
import { fuseRankings, RRF_K } from '../../../src/knowledge/fuse.ts';

const ids = (items: Array<{ id: string }>) => items.map((i) => i.id);
const list = (...names: string[]) => names.map((id) => ({ id }));

describe('fuseRankings', () => {
  it('ranks first what both lists rank well, above what one list ranks first', () => {
    const text = list('a', 'b', 'c');
    const vector = list('d', 'b', 'a');
    const fused = fuseRankings([text, vector], (i) => i.id, 10);
    expect(ids(fused)).toEqual(['a', 'b', 'd', 'c']);
    expect(fused[0]!.score).toBeCloseTo(1 / (RRF_K + 1) + 1 / (RRF_K + 3));
  });

  it('keeps the top k, and a single list keeps its order', () => {
    expect(ids(fuseRankings([list('x', 'y', 'z')], (i) => i.id, 2))).toEqual(['x', 'y']);
    expect(fuseRankings([[], []], (i: { id: string }) => i.id, 5)).toEqual([]);
  });
});
