/**
 * Reciprocal rank fusion: each list votes 1 / (K + rank) for its items, so an item ranked well by both full-text
 * and vector search rises, and neither list's raw scores (which are not comparable) matter. Pure.
 */

/** The usual constant from Cormack et al. (2009): damps the difference between the very first ranks. */
export const RRF_K = 60;

export function fuseRankings<T>(
  lists: ReadonlyArray<readonly T[]>,
  keyOf: (item: T) => string,
  k: number,
): Array<T & { score: number }> {
  const fused = new Map<string, { item: T; score: number; best: number }>();
  for (const list of lists) {
    list.forEach((item, rank) => {
      const key = keyOf(item);
      const vote = 1 / (RRF_K + rank + 1);
      const seen = fused.get(key);
      if (seen) {
        seen.score += vote;
        seen.best = Math.min(seen.best, rank);
      } else fused.set(key, { item, score: vote, best: rank });
    });
  }
  return (
    [...fused.values()]
      // Ties (same votes) go to the item ranked higher in any list, then to the key, so results are stable.
      .sort((a, b) => b.score - a.score || a.best - b.best || (keyOf(a.item) < keyOf(b.item) ? -1 : 1))
      .slice(0, k)
      .map(({ item, score }) => ({ ...item, score }))
  );
}
