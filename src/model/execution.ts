import type { InputSchema } from './input-schema.ts';
import type { StepFailure } from './step-failure.ts';

/** Every status an execution can have; the `executions.status` column holds one of these. */
export const EXECUTION_STATUSES = [
  'queued',
  'running',
  'paused',
  'waiting',
  'completed',
  'failed',
  'cancelled',
  'timed_out',
] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** The statuses an execution ends in; it never leaves them. */
export const TERMINAL_STATUSES = ['completed', 'failed', 'cancelled', 'timed_out'] as const;
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];
export const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_STATUSES);

/**
 * Every status a step attempt can have; the `step_runs.status` column holds one of these. `retry` is a queued
 * next attempt, `interrupted` an attempt a crash cut short, `pending` a node not yet started.
 */
export type StepStatus =
  'pending' | 'running' | 'waiting' | 'completed' | 'failed' | 'skipped' | 'pruned' | 'retry' | 'interrupted';

/** What an execution (or a step) can wait for from outside: a person's input, an approval, or a time. */
export const WAIT_REASONS = ['input', 'approval', 'time'] as const;
export type WaitReason = (typeof WAIT_REASONS)[number];

/** What a waiting execution waits for: stored in `executions.waiting` and shown by the API. */
export interface WaitingInfo {
  reason: WaitReason;
  nodeId: string;
  prompt?: string;
  schema?: InputSchema;
  until?: string;
}

/** Why an execution failed, timed out or was cancelled; stored in `executions.error`. */
export interface ExecutionError {
  code: string;
  message: string;
  /** The step whose failure failed the execution. */
  nodeId?: string;
  step?: StepFailure;
}
