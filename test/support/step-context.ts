import type { StepContext } from '../../src/engine/blocks/types.ts';
import { systemClock } from '../../src/engine/clock.ts';
import { evaluateExpression, evaluateTemplate, type TemplateContext } from '../../src/graph/templates.ts';
import type { WorkflowNode } from '../../src/model/graph.ts';
import { parseAllowList } from '../../src/net/address-policy.ts';
import { guardedFetch } from '../../src/net/guarded-fetch.ts';
import { FunctionPool } from '../../src/sandbox/pool.ts';
import { LOOPBACK_HOSTS } from './config.ts';

/** One guarded fetch (and its connection pool) for every step context: the product's, allowing loopback only. */
const fetchLoopback = guardedFetch(parseAllowList(LOOPBACK_HOSTS.split(',')));
/** One pool of sandbox workers for every step context, as the engine has; idle workers do not keep tests alive. */
const functions = new FunctionPool({ size: 2 });

/** A StepContext for calling one block directly, with the real template engine and the guarded fetch. */
export function stepContext(options: {
  node: Pick<WorkflowNode, 'id' | 'type' | 'name'>;
  config: Record<string, unknown>;
  template: TemplateContext;
  attempt?: number;
  signal?: AbortSignal;
  limits?: StepContext['services']['limits'];
  /** Receives what the block reports with `ctx.progress`. */
  progress?: Array<Record<string, unknown>>;
}): StepContext {
  const { template, config } = options;
  return {
    executionId: 'exec-1',
    workspaceId: 'ws-1',
    node: { ...options.node, config },
    attempt: options.attempt ?? 1,
    config,
    template,
    signal: options.signal ?? new AbortController().signal,
    render: (value) => evaluateTemplate(value, template),
    evaluate: (expression) => evaluateExpression(expression, template),
    progress: async (data) => {
      options.progress?.push(data);
    },
    services: {
      fetch: fetchLoopback,
      limits: options.limits ?? { functionTimeoutMs: 1000, functionMemoryBytes: 16 * 1024 * 1024 },
      functions,
      clock: systemClock,
    },
  };
}
