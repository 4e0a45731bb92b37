import type { StoredEvent } from '../../../src/model/events.ts';
import type { WaitingInfo } from '../../../src/model/execution.ts';
import type { WorkflowGraph } from '../../../src/model/graph.ts';
import type { Citation } from '../../../src/model/knowledge-hits.ts';
import type { ExecutionView, Json, StepView as StepViewDates } from '../../../src/model/views.ts';

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

/** API response shapes: defined once in src/model/ and read here as they arrive, after JSON. */
export type StepView = Json<StepViewDates>;
export type Execution = Json<ExecutionView>;
/** An execution event; those a workspace room receives also name their workflow. */
export type ExecutionEvent = Json<StoredEvent> & { workflowId?: string };

export interface ChatAnswer {
  reply: string;
  intent: string;
  confidence?: number;
  action: { type: string; executionId?: string; workflowId?: string; citations?: Citation[] } | null;
  suggestedActions?: string[];
  state?: { workflowId?: string | null; executionId?: string | null };
}
/** `note` turns are local: what the person did on the canvas, shown in the chat's history. */
export interface ChatTurn {
  role: 'user' | 'assistant' | 'note';
  text: string;
  intent?: string | null;
  /** What the turn did; an answer from a knowledge base carries its `citations` here. */
  action?: unknown;
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
