import type { ExecutionEvent, WorkspaceSummary } from '../lib/types.ts';
import { describeEvent } from '../run/run-state.ts';

export interface ActivityItem {
  key: string;
  at: string;
  executionId: string;
  workflowId?: string;
  text: string;
  tone: 'ok' | 'bad' | 'wait' | 'info';
}

export const MAX_ACTIVITY = 50;

/** Events worth a line in the feed: the life of executions, and steps that need a person or failed. */
const FEED_TYPES = new Set([
  'execution.queued',
  'execution.started',
  'execution.completed',
  'execution.failed',
  'execution.timed_out',
  'execution.cancelled',
  'execution.waiting',
  'execution.paused',
  'step.failed',
  'approval.decided',
  'input.received',
]);

/** Newest first, bounded. Pure. */
export function addActivity(feed: ActivityItem[], event: ExecutionEvent): ActivityItem[] {
  if (!FEED_TYPES.has(event.type)) return feed;
  const tone = /completed|decided|received/.test(event.type)
    ? 'ok'
    : /failed|timed_out|cancelled/.test(event.type)
      ? 'bad'
      : /waiting|paused/.test(event.type)
        ? 'wait'
        : 'info';
  const item: ActivityItem = {
    key: `${event.executionId}:${event.offset}`,
    at: event.at,
    executionId: event.executionId,
    workflowId: event.workflowId,
    text: describeEvent(event),
    tone,
  };
  if (feed.some((f) => f.key === item.key)) return feed;
  return [item, ...feed].slice(0, MAX_ACTIVITY);
}

/** Events that change a card's counts; the dashboard refetches the summaries after them. */
export function changesCounts(event: Pick<ExecutionEvent, 'type'>): boolean {
  return event.type.startsWith('execution.');
}

export function totalActive(workspace: WorkspaceSummary): number {
  return workspace.counts.running + workspace.counts.waiting;
}
