import { TERMINAL } from '../../../src/model/execution.ts';
import type { ExecutionEvent } from '../lib/types.ts';

/** What a node shows on the canvas during a run. */
export type NodeRunStatus = 'queued' | 'running' | 'waiting' | 'done' | 'failed' | 'skipped';

export interface TimelineEntry {
  offset: number;
  at: string;
  type: string;
  nodeId: string | null;
  text: string;
}

export interface RunState {
  executionId: string;
  status: string;
  lastOffset: number;
  nodes: Record<string, NodeRunStatus>;
  attempts: Record<string, number>;
  timeline: TimelineEntry[];
}

const MAX_TIMELINE = 500;

export const emptyRun = (executionId: string): RunState => ({
  executionId,
  status: 'queued',
  lastOffset: 0,
  nodes: {},
  attempts: {},
  timeline: [],
});

const STEP_STATUS: Record<string, NodeRunStatus> = {
  'step.started': 'running',
  'step.waiting': 'waiting',
  'step.completed': 'done',
  'step.failed': 'failed',
  'step.skipped': 'skipped',
  'step.pruned': 'skipped',
  'step.retrying': 'queued',
  'step.interrupted': 'queued',
  'step.retry_requested': 'queued',
};

const EXECUTION_STATUS: Record<string, string> = {
  'execution.queued': 'queued',
  'execution.started': 'running',
  'execution.resumed': 'running',
  'execution.paused': 'paused',
  'execution.waiting': 'waiting',
  'execution.completed': 'completed',
  'execution.failed': 'failed',
  'execution.timed_out': 'timed_out',
  'execution.cancelled': 'cancelled',
};

/**
 * Folds one stored event into the run's view. Events arrive in offset order once each; an event at or below
 * the last offset (a replay overlapping a live one) is ignored, so applying twice changes nothing. Pure.
 */
export function applyEvent(state: RunState, event: ExecutionEvent): RunState {
  if (event.executionId !== state.executionId || event.offset <= state.lastOffset) return state;
  const next: RunState = { ...state, lastOffset: event.offset };
  const stepStatus = STEP_STATUS[event.type];
  if (stepStatus && event.nodeId) {
    next.nodes = { ...state.nodes, [event.nodeId]: stepStatus };
    const data: Record<string, unknown> | undefined = event.data;
    const attempt = Number(data?.attempt);
    if (Number.isInteger(attempt) && attempt > 0) next.attempts = { ...state.attempts, [event.nodeId]: attempt };
  }
  const executionStatus = EXECUTION_STATUS[event.type];
  if (executionStatus) next.status = executionStatus;
  next.timeline = [
    ...state.timeline,
    { offset: event.offset, at: event.at, type: event.type, nodeId: event.nodeId, text: describeEvent(event) },
  ].slice(-MAX_TIMELINE);
  return next;
}

/** A short sentence for the timeline and the activity feed. */
export function describeEvent(event: Pick<ExecutionEvent, 'type' | 'nodeId' | 'data'>): string {
  const node = event.nodeId ? `“${event.nodeId}”` : '';
  const data: Record<string, unknown> = event.data ?? {};
  const error = (data.error as { message?: string } | undefined)?.message;
  switch (event.type) {
    case 'execution.queued':
      return 'Queued';
    case 'execution.started':
      return 'Started';
    case 'execution.resumed':
      return 'Resumed';
    case 'execution.paused':
      return `Paused${data.reason ? ` (${String(data.reason)})` : ''}`;
    case 'execution.waiting':
      return `Waiting for ${String(data.reason ?? 'something')}${data.prompt ? `: ${String(data.prompt)}` : ''}`;
    case 'execution.completed':
      return 'Completed';
    case 'execution.failed':
      return `Failed${error ? `: ${error}` : ''}`;
    case 'execution.timed_out':
      return 'Timed out';
    case 'execution.cancelled':
      return 'Cancelled';
    case 'step.started':
      return `${node} started${Number(data.attempt) > 1 ? ` (attempt ${String(data.attempt)})` : ''}`;
    case 'step.completed':
      return `${node} done${data.handle ? ` → ${String(data.handle)}` : ''}`;
    case 'step.waiting':
      return `${node} waits for ${String(data.reason ?? 'something')}`;
    case 'step.failed':
      return `${node} failed${error ? `: ${error}` : ''}`;
    case 'step.retrying':
      return `${node} will retry in ${String(data.delayMs ?? 0)} ms`;
    case 'step.skipped':
      return `${node} skipped`;
    case 'step.pruned':
      return `${node} not taken`;
    case 'step.interrupted':
      return `${node} interrupted; it runs again`;
    case 'step.retry_requested':
      return `${node} retry requested`;
    case 'input.received':
      return `${node} got its input`;
    case 'approval.decided':
      return `${node} ${String(data.decision ?? 'decided')}`;
    default:
      return event.type;
  }
}

/**
 * What each canvas node shows: its own status, or `queued` for a top-level step that has not started while the
 * run is still going. Steps inside loops and parallels run in child executions, so they show nothing here.
 */
export function nodeStatuses(
  run: RunState,
  nodes: ReadonlyArray<{ id: string; parentId?: string }>,
): Record<string, NodeRunStatus> {
  if (TERMINAL.has(run.status) || run.lastOffset === 0) return run.nodes;
  const shown = { ...run.nodes };
  for (const node of nodes) if (!node.parentId && !shown[node.id]) shown[node.id] = 'queued';
  return shown;
}
