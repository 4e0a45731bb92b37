import type { TemplateContext } from '../../graph/templates.ts';
import type { WorkflowNode } from '../../model/graph.ts';
import type { InputSchema } from '../../model/input-schema.ts';
import type { LlmRegistry } from '../../llm/registry.ts';
import type { FunctionPool } from '../../sandbox/pool.ts';
import type { WaitReason } from '../../model/execution.ts';
import type { KnowledgeLookup } from '../../model/knowledge-hits.ts';
import type { Assistant } from '../../assistant/service.ts';
import type { Clock } from '../clock.ts';

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
  /** Records a `step.progress` event (persisted, then announced) while the step is still running. */
  progress(data: Record<string, unknown>): Promise<void>;
  services: BlockServices;
}

/** Side-effecting capabilities the engine lends to blocks; each is replaceable in tests. */
export interface BlockServices {
  /** `fetch` for the http block; in production it refuses private addresses HTTP_ALLOWED_HOSTS does not list (src/net). */
  fetch: typeof fetch;
  limits: { functionTimeoutMs: number; functionMemoryBytes: number };
  /** The worker threads function blocks run in; created and closed with the engine. */
  functions: Pick<FunctionPool, 'run'>;
  /** The engine's clock: a wait's wake-up time is counted on it. */
  clock: Clock;
  /** Language models for agent blocks; absent means no provider is configured. */
  llm?: LlmRegistry;
  /** Other workflows, run as tools by agent blocks. */
  workflows?: WorkflowTools;
  /** The personal assistant's dialogue over the workspace's tasks (the `assistant` block). */
  assistant?: Pick<Assistant, 'reply'>;
  /** Workspace secrets that templates read as `secrets.NAME`; absent means none can be read. */
  secrets?: SecretSource;
  /** Knowledge bases, searched by knowledge blocks and agents; absent means the engine has none. */
  knowledge?: KnowledgeLookup;
  /** Where `notify` steps send SMS and chat messages; absent means those channels are not available. */
  notify?: NotifyChannels;
}

export interface NotifyChannels {
  /** Queues an SMS (split and retried by the channel); `key` makes a re-run of the same attempt queue nothing new. */
  sms(
    workspaceId: string,
    to: string,
    text: string,
    key: string,
  ): Promise<Array<{ id: string; status: string; segments: number }>>;
  /** Adds an assistant turn to a live conversation of the workspace (and shows it to whoever has it open). */
  chat(workspaceId: string, conversationId: string, text: string): Promise<void>;
}

export interface SecretSource {
  /** The clear values of the named secrets of a workspace; a name that does not exist is absent from the map. */
  resolve(workspaceId: string, names: readonly string[]): Promise<Map<string, string>>;
}

export interface WorkflowTools {
  /** The published workflow a tool runs: what the model is told about it. */
  describe(
    workspaceId: string,
    ref: string,
  ): Promise<{ slug: string; name: string; description?: string; inputs?: InputSchema }>;
  /** Starts the workflow and waits until it ends or needs a person; aborting cancels it. */
  run(
    workspaceId: string,
    ref: string,
    input: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<{ executionId: string; status: string; output: unknown; error: unknown }>;
}

export type StepOutcome =
  /** Done; `handle` picks the outgoing edges (`true`/`false`, a route name…); null is the plain output. */
  | { kind: 'completed'; output: unknown; handle?: string | null }
  /** Parked until a person answers or a time comes; the engine persists it and frees the slot. */
  | { kind: 'waiting'; reason: WaitReason; prompt?: string; schema?: InputSchema; until?: string }
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

// Blocks throw it; it lives in model/ because LLM providers throw it too.
export { StepError } from '../../model/step-failure.ts';

export type BlockRunner = (ctx: StepContext) => Promise<StepOutcome>;
