import type { TemplateContext } from '../../graph/templates.ts';
import type { WorkflowNode } from '../../model/graph.ts';
import type { InputSchema } from '../../model/input-schema.ts';
import type { LlmRegistry } from '../../llm/registry.ts';

/** What a block sees while it runs one attempt of one step. */
export interface StepContext {
  executionId: string;
  workspaceId: string;
  node: WorkflowNode;
  /** 1 for the first attempt. */
  attempt: number;
  /** The node's config exactly as written in the graph (templates not yet rendered). */
  config: Record<string, unknown>;
  /** The data templates see: `{ input, steps, vars, execution, env }`. */
  template: TemplateContext;
  /** Aborted when the execution is cancelled or the step's timeout passes. */
  signal: AbortSignal;
  /** Renders every `{{ … }}` in a value against `template`. */
  render(value: unknown): Promise<unknown>;
  /** Evaluates one JSONata expression (optionally written as `{{ … }}`) against `template`. */
  evaluate(expression: string): Promise<unknown>;
  services: BlockServices;
}

/** Side-effecting capabilities the engine lends to blocks; each is replaceable in tests. */
export interface BlockServices {
  /** `fetch` for the http block: the real one in production. */
  fetch: typeof fetch;
  limits: { functionTimeoutMs: number; functionMemoryBytes: number };
  /** Language models for agent blocks; absent means no provider is configured. */
  llm?: LlmRegistry;
}

export type StepOutcome =
  /** Done; `handle` picks the outgoing edges (`true`/`false`, a route name…); null is the plain output. */
  | { kind: 'completed'; output: unknown; handle?: string | null }
  /** Parked until a person answers or a time comes; the engine persists it and frees the slot. */
  | { kind: 'waiting'; reason: 'input' | 'approval' | 'time'; prompt?: string; schema?: InputSchema; until?: string }
  /** Run child executions (loop iterations, parallel branches, a subworkflow) and complete when they finish. */
  | { kind: 'children'; children: ChildSpec[]; concurrency: number; collect: 'list' | 'single' };

export interface ChildSpec {
  /** For containers: the container node whose children run; absent for a subworkflow. */
  scope?: string;
  /** For subworkflows: the workflow and version to run. */
  workflow?: { workflowId: string; version?: number };
  input: unknown;
  vars: Record<string, unknown>;
}

/** A step failure. `retryable: false` skips the remaining attempts (bad config, 4xx answers…). */
export class StepError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly retryable = true,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'StepError';
  }
}

export type BlockRunner = (ctx: StepContext) => Promise<StepOutcome>;
