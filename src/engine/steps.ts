import type { WaitReason } from '../model/execution.ts';
import type { InputSchema } from '../model/input-schema.ts';
import type { StepRunRow } from '../store/executions.ts';
import type { NodeState, NodeStatus } from './plan.ts';

/** The latest attempt of each node. */
export function latestAttempts(rows: readonly StepRunRow[]): Map<string, StepRunRow> {
  const latest = new Map<string, StepRunRow>();
  for (const row of rows) {
    const seen = latest.get(row.nodeId);
    if (!seen || row.attempt > seen.attempt) latest.set(row.nodeId, row);
  }
  return latest;
}

/** Rows that mean "run this node (again)": a queued retry, or an attempt a crash interrupted. */
export const RUN_AGAIN: ReadonlySet<string> = new Set(['retry', 'interrupted']);

/** When a queued retry may run (ms since the epoch), stored in its row's output; undefined for "at once". */
export function retryTime(row: StepRunRow): number | undefined {
  const at = (row.output as { retryAt?: unknown } | null)?.retryAt;
  const time = typeof at === 'string' ? Date.parse(at) : Number.NaN;
  return Number.isNaN(time) ? undefined : time;
}

/** Planner states from step rows. */
export function nodeStates(latest: ReadonlyMap<string, StepRunRow>): Map<string, NodeState> {
  const states = new Map<string, NodeState>();
  for (const [nodeId, row] of latest) {
    const status = (RUN_AGAIN.has(row.status) ? 'pending' : row.status) as NodeStatus;
    states.set(nodeId, { status, handle: row.handle });
  }
  return states;
}

/** What a waiting step waits for, stored in its output while it waits. */
export interface WaitingFor {
  reason: WaitReason | 'children';
  prompt?: string;
  schema?: InputSchema;
  until?: string;
  children?: { total: number; concurrency: number; collect: 'list' | 'single'; specs: unknown[] };
}

export function waitingFor(row: StepRunRow): WaitingFor | null {
  if (row.status !== 'waiting') return null;
  return (row.output as { waitingFor?: WaitingFor } | null)?.waitingFor ?? null;
}
