import type { Change, StepWrite } from './execution-rows.ts';

const defined = <T extends object>(values: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(values ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;

/**
 * Several changes of ONE execution as one change with the same effect as applying them in order: later
 * fields win, writes to the same step attempt are folded into one, events keep their order (so their offsets
 * come out consecutive in submission order). Pure.
 */
export function mergeChanges(changes: readonly Change[]): Change {
  if (changes.length === 1) return changes[0]!;
  const execution: NonNullable<Change['execution']> = {};
  const steps = new Map<string, StepWrite>();
  const events: Change['events'] = [];
  for (const change of changes) {
    Object.assign(execution, defined(change.execution));
    for (const step of change.steps ?? []) {
      const key = `${step.nodeId}\u0000${step.attempt}`;
      steps.set(key, { ...steps.get(key), ...defined(step) } as StepWrite);
    }
    events.push(...change.events);
  }
  return {
    ...(Object.keys(execution).length > 0 ? { execution } : {}),
    ...(steps.size > 0 ? { steps: [...steps.values()] } : {}),
    events,
  };
}
