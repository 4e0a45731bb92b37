/** Undo/redo over immutable snapshots. Pure: each operation returns a new history. */
export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** Consecutive changes with the same key (typing in one field) make one undo step. */
  mergeKey?: string;
}

const MAX_UNDO = 100;

export const startHistory = <T>(present: T): History<T> => ({ past: [], present, future: [] });

/** Records a change; a new change forgets what could be redone. */
export function record<T>(history: History<T>, next: T, mergeKey?: string): History<T> {
  if (next === history.present) return history;
  if (mergeKey !== undefined && mergeKey === history.mergeKey) return { ...history, present: next, future: [] };
  return { past: [...history.past, history.present].slice(-MAX_UNDO), present: next, future: [], mergeKey };
}

/** Records a change that began at `origin` (a drag whose intermediate positions were not recorded). */
export function recordFrom<T>(history: History<T>, origin: T, next: T): History<T> {
  return { past: [...history.past, origin].slice(-MAX_UNDO), present: next, future: [] };
}

/** Replaces the present without an undo step (e.g. selection, or a drag still in progress). */
export const replacePresent = <T>(history: History<T>, present: T): History<T> => ({
  ...history,
  present,
  mergeKey: undefined,
});

export function undo<T>(history: History<T>): History<T> {
  const previous = history.past.at(-1);
  if (previous === undefined) return history;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future] };
}

export function redo<T>(history: History<T>): History<T> {
  const [next, ...rest] = history.future;
  if (next === undefined) return history;
  return { past: [...history.past, history.present], present: next, future: rest };
}
