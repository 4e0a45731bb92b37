import type { BlockType } from './blocks.ts';
import type { ExecutionError, WaitReason } from './execution.ts';
import type { ExecutionMode } from './graph.ts';
import type { StepFailure } from './step-failure.ts';

type Empty = Record<string, never>;

/**
 * Every event an execution's log can hold, with the data it carries. Writers and readers (API, sockets, chat,
 * tracing, CLI, web app) share this one list, so a misspelt type or a wrong field does not compile.
 */
export interface ExecutionEventData {
  /** Accepted by the API, or spawned by a parent step (a loop iteration, a branch, a subworkflow). */
  'execution.queued':
    { mode: ExecutionMode; version: number } | { parentExecutionId: string; parentNodeId: string; iteration: number };
  'execution.started': Empty;
  'execution.resumed': Empty;
  'execution.paused': { reason: 'command' | 'step-by-step' | 'pause-point' };
  'execution.waiting': { reason: WaitReason; prompt?: string; until?: string };
  'execution.completed': { output: unknown };
  'execution.failed': { error: ExecutionError };
  'execution.timed_out': { error: ExecutionError };
  'execution.cancelled': { error: ExecutionError };
  'step.started': { attempt: number; type: BlockType };
  /** `output` while it is small (64 KiB), else its size in `outputBytes`. */
  'step.completed': { attempt: number; handle?: string | null; output?: unknown; outputBytes?: number };
  'step.waiting': { attempt: number; reason: WaitReason | 'children'; prompt?: string; until?: string; total?: number };
  /** What a running block reports (an agent's tool calls, streamed text…). */
  'step.progress': { attempt: number; [key: string]: unknown };
  'step.retrying': { attempt: number; nextAttempt: number; delayMs: number; error: StepFailure };
  'step.failed': { attempt: number; error: StepFailure; handled: boolean };
  'step.skipped': { attempt: number; handle: string | null };
  'step.pruned': Empty;
  'step.interrupted': { attempt: number };
  'step.retry_requested': { attempt: number };
  'input.received': { values: Record<string, unknown> };
  'approval.decided': { decision: 'approved' | 'rejected'; comment: string | null };
}

export type ExecutionEventType = keyof ExecutionEventData;

/** An event about to be written; `data` may be left out when the type carries none. */
export type EventInput = {
  [T in ExecutionEventType]: { type: T; nodeId?: string | null } & (Empty extends ExecutionEventData[T]
    ? { data?: ExecutionEventData[T] }
    : { data: ExecutionEventData[T] });
}[ExecutionEventType];

/** An event as written, with its place in the execution's log. */
export type StoredEvent = {
  [T in ExecutionEventType]: {
    executionId: string;
    offset: number;
    type: T;
    nodeId: string | null;
    data: ExecutionEventData[T];
    at: Date;
  };
}[ExecutionEventType];
