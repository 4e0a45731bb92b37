import type { WorkflowGraph } from '../../../src/model/graph.ts';
import type { WaitingInfo } from '../../../src/engine/commands.ts';

export type { WorkflowGraph, WaitingInfo };

export interface Workflow {
  id: string;
  workspaceId: string;
  name: string;
  slug: string;
  draft: WorkflowGraph;
  latestVersion: number | null;
  createdAt: string;
  updatedAt: string;
}
export interface WorkflowVersion {
  workflowId: string;
  number: number;
  graph: WorkflowGraph;
  hash: string;
  publishedAt: string;
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface StepView {
  nodeId: string;
  type: string;
  status: string;
  attempt: number;
  input: unknown;
  output: unknown;
  handle?: string | null;
  error: { code: string; message: string } | null;
  startedAt: string | null;
  finishedAt: string | null;
}
export interface Execution {
  id: string;
  workflowId: string;
  version: number;
  status: string;
  mode: string;
  waiting: WaitingInfo | null;
  input: unknown;
  output: unknown;
  error: { code: string; message: string; nodeId?: string } | null;
  currentNodeIds: string[];
  progress: number;
  steps?: StepView[];
  createdAt: string;
  startedAt?: string | null;
  finishedAt: string | null;
}
export interface ExecutionEvent {
  executionId: string;
  offset: number;
  type: string;
  nodeId: string | null;
  data: Record<string, unknown> | null;
  at: string;
  /** Present on events a workspace room receives. */
  workflowId?: string;
}

export interface ChatAnswer {
  reply: string;
  intent: string;
  confidence?: number;
  action: { type: string; executionId?: string; workflowId?: string } | null;
  suggestedActions?: string[];
  state?: { workflowId?: string | null; executionId?: string | null };
}
/** `note` turns are local: what the person did on the canvas, shown in the chat's history. */
export interface ChatTurn {
  role: 'user' | 'assistant' | 'note';
  text: string;
  intent?: string | null;
  at?: string;
}
export interface Conversation {
  id: string;
  reply?: string;
  suggestedActions?: string[];
  executionId?: string | null;
  turns?: ChatTurn[];
}

export interface WorkspaceSummary {
  id: string;
  name: string;
  slug: string;
  status: string;
  priority: number;
  counts: { running: number; waiting: number; failed: number; completed: number };
}
