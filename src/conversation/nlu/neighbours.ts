// How close a message is to the nearest training example (cosine similarity), through an inverted index (feature → examples): a message
// touches few features, so this stays well under a millisecond.
import type { SparseRow } from './logistic.ts';

interface Posting {
  example: number;
  weight: number;
}

export class NeighbourIndex {
  private readonly postings = new Map<number, Posting[]>();

  private readonly size: number;

  constructor(rows: readonly SparseRow[]) {
    this.size = rows.length;
    rows.forEach((row, example) => {
      row.ids.forEach((id, k) => {
        const list = this.postings.get(id) ?? [];
        list.push({ example, weight: row.values[k]! });
        this.postings.set(id, list);
      });
    });
  }

  /** The similarity of the closest example (rows are unit length, so the dot product is the cosine). */
  closest(row: SparseRow): number {
    const sims = new Float64Array(this.size);
    row.ids.forEach((id, k) => {
      for (const p of this.postings.get(id) ?? []) sims[p.example]! += row.values[k]! * p.weight;
    });
    let best = 0;
    for (const s of sims) if (s > best) best = s;
    return best;
  }
}
