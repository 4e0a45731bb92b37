import { createHash } from 'node:crypto';

/** What the tracker reads: a stored execution event (offset-ordered per execution). */
export interface TraceEvent {
  executionId: string;
  type: string;
  nodeId: string | null;
  data: unknown;
  at: Date;
}

export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startMs: number;
  endMs: number;
  attributes: Record<string, string | number>;
  error?: string;
}

interface Open {
  span: Omit<Span, 'endMs'>;
  key: string;
}

const EXECUTION_END = new Set([
  'execution.completed',
  'execution.failed',
  'execution.cancelled',
  'execution.timed_out',
]);
/** Events that end a step attempt; the ones after `error` end it as failed. */
const STEP_END: Record<string, string | null> = {
  'step.completed': null,
  'step.skipped': null,
  'step.failed': 'failed',
  'step.interrupted': 'interrupted',
  'step.retrying': 'failed; retrying',
};

const hex = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length);
const errorOf = (data: unknown): string | undefined => {
  const error = (data as { error?: { code?: string; message?: string } } | null)?.error;
  return error ? `${error.code ?? 'error'}: ${error.message ?? ''}`.trim() : undefined;
};

/**
 * Turns execution events into spans, one per execution and one per step attempt (pure, no I/O): an execution's trace
 * id is its id's hex digits, so a trace is found from an execution id; a child execution (loop iteration, branch,
 * subworkflow) joins its parent's trace under the step that spawned it. At most `maxOpen` spans are held open
 * (executions waiting for people can stay open for days); beyond that the oldest are dropped, never ended falsely.
 */
export class SpanTracker {
  private readonly open = new Map<string, Open>();
  private readonly traces = new Map<string, { traceId: string; spanId: string }>();

  constructor(private readonly maxOpen = 10_000) {}

  /** Feeds one event; returns the spans it ended. */
  accept(event: TraceEvent): Span[] {
    const at = event.at.getTime();
    const data = (event.data ?? {}) as Record<string, unknown>;
    if (event.type === 'execution.queued' || !this.traces.has(event.executionId)) this.openExecution(event, data, at);
    if (event.type === 'step.started' && event.nodeId) {
      const exec = this.traces.get(event.executionId)!;
      const attempt = Number(data.attempt ?? 1);
      const key = `step:${event.executionId}:${event.nodeId}`;
      this.hold({
        key,
        span: {
          traceId: exec.traceId,
          spanId: hex(`${event.executionId}/${event.nodeId}/${attempt}`, 16),
          parentSpanId: exec.spanId,
          name: `step ${event.nodeId}`,
          startMs: at,
          attributes: {
            'duet.execution.id': event.executionId,
            'duet.node.id': event.nodeId,
            'duet.block.type': String(data.type ?? 'unknown'),
            'duet.step.attempt': attempt,
          },
        },
      });
      return [];
    }
    if (event.type in STEP_END && event.nodeId) {
      const ended = this.close(
        `step:${event.executionId}:${event.nodeId}`,
        at,
        event.type.slice('step.'.length),
        STEP_END[event.type] ? (errorOf(data) ?? STEP_END[event.type]!) : undefined,
      );
      return ended ? [ended] : [];
    }
    if (EXECUTION_END.has(event.type)) {
      const status = event.type.slice('execution.'.length);
      const ended = this.close(
        `execution:${event.executionId}`,
        at,
        status,
        status === 'completed' ? undefined : (errorOf(data) ?? status),
      );
      this.traces.delete(event.executionId);
      return ended ? [ended] : [];
    }
    return [];
  }

  private openExecution(event: TraceEvent, data: Record<string, unknown>, at: number) {
    const parentId = typeof data.parentExecutionId === 'string' ? data.parentExecutionId : undefined;
    const parent = parentId ? this.traces.get(parentId) : undefined;
    const parentStep =
      parentId && typeof data.parentNodeId === 'string'
        ? this.open.get(`step:${parentId}:${data.parentNodeId}`)
        : undefined;
    const ids = {
      traceId: parent?.traceId ?? event.executionId.replaceAll('-', '').padEnd(32, '0').slice(0, 32),
      spanId: hex(event.executionId, 16),
    };
    this.traces.set(event.executionId, ids);
    const attributes: Record<string, string | number> = { 'duet.execution.id': event.executionId };
    if (typeof data.mode === 'string') attributes['duet.execution.mode'] = data.mode;
    if (typeof data.version === 'number') attributes['duet.workflow.version'] = data.version;
    if (parentId) attributes['duet.parent.execution.id'] = parentId;
    this.hold({
      key: `execution:${event.executionId}`,
      span: {
        ...ids,
        parentSpanId: parentStep?.span.spanId ?? parent?.spanId,
        name: parentId ? 'child execution' : 'execution',
        startMs: at,
        attributes,
      },
    });
  }

  private hold(entry: Open) {
    this.open.delete(entry.key);
    this.open.set(entry.key, entry);
    while (this.open.size > this.maxOpen) this.open.delete(this.open.keys().next().value!);
    while (this.traces.size > this.maxOpen) this.traces.delete(this.traces.keys().next().value!);
  }

  private close(key: string, endMs: number, status: string, error: string | undefined): Span | undefined {
    const entry = this.open.get(key);
    if (!entry) return undefined;
    this.open.delete(key);
    return {
      ...entry.span,
      endMs,
      attributes: { ...entry.span.attributes, 'duet.status': status },
      ...(error ? { error } : {}),
    };
  }
}
