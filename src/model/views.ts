import type { BlockType } from './blocks.ts';
import type { ExecutionError, ExecutionStatus, StepStatus, WaitingInfo } from './execution.ts';
import type { ExecutionMode } from './graph.ts';
import type { StepFailure } from './step-failure.ts';

/**
 * The execution resources of the HTTP API. The server builds them with `Date`s; the web app reads them as
 * `Json<…>`, the same shape after JSON (dates become ISO strings).
 */

/** A step attempt as the API shows it. `type` is null for a node the version's graph no longer has. */
export interface StepView {
  nodeId: string;
  type: BlockType | null;
  status: StepStatus;
  attempt: number;
  input: unknown;
  output: unknown;
  handle: string | null;
  error: StepFailure | null;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** An execution with every attempt and a progress percentage. */
export interface ExecutionView {
  id: string;
  workflowId: string;
  version: number;
  status: ExecutionStatus;
  mode: ExecutionMode;
  pausePoints: string[];
  waiting: WaitingInfo | null;
  input: unknown;
  output: unknown;
  error: ExecutionError | null;
  /** Nodes whose latest attempt is running or waiting. */
  currentNodeIds: string[];
  progress: number;
  /** Set on loop iterations, parallel branches and subworkflow runs. */
  parentExecutionId: string | null;
  steps: StepView[];
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** What a value becomes after `JSON.stringify` and `JSON.parse`: dates turn into ISO strings. */
export type Json<T> = T extends Date
  ? string
  : T extends ReadonlyArray<infer Item>
    ? Array<Json<Item>>
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;
