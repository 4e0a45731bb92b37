/** Which open task a few words name ("the bank" → "call the bank"). Pure. */
export interface Named {
  id: string;
  title: string;
}

const IGNORED = new Set(['the', 'a', 'an', 'my', 'to', 'with', 'of', 'for', 'and', 'task', 'reminder', 'it']);
const words = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '' && !IGNORED.has(w));

/**
 * The tasks whose titles share the most words with `query` (a word matches when one starts with the other, so
 * "dentist" finds "dentist's"); several when they tie, none when no word matches.
 */
export function matchTasks<T extends Named>(tasks: readonly T[], query: string): T[] {
  const wanted = words(query);
  if (wanted.length === 0) return [];
  const scored = tasks.map((task) => {
    const have = words(task.title);
    const score = wanted.filter((w) => have.some((h) => h.startsWith(w) || w.startsWith(h))).length;
    return { task, score };
  });
  const best = Math.max(0, ...scored.map((s) => s.score));
  return best === 0 ? [] : scored.filter((s) => s.score === best).map((s) => s.task);
}
