import { describe, expect, it } from 'vitest';
import { SpanTracker } from '../../src/ops/tracing/spans.ts';
import { otlpRequest } from '../../src/ops/tracing/otlp.ts';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ev = (executionId: string, type: string, at: number, nodeId: string | null = null, data: unknown = {}) => ({
  executionId,
  type,
  nodeId,
  data,
  at: new Date(at),
});

describe('SpanTracker', () => {
  it('ends a retried step attempt as an error and the next attempt as its own span', () => {
    const t = new SpanTracker();
    t.accept(ev(id(1), 'execution.queued', 0, null, { mode: 'autonomous', version: 2 }));
    t.accept(ev(id(1), 'step.started', 1, 'call', { attempt: 1, type: 'http' }));
    const [first] = t.accept(ev(id(1), 'step.retrying', 5, 'call', { error: { code: 'http_error', message: '502' } }));
    t.accept(ev(id(1), 'step.started', 6, 'call', { attempt: 2, type: 'http' }));
    const [second] = t.accept(ev(id(1), 'step.completed', 9, 'call'));
    const [execution] = t.accept(ev(id(1), 'execution.completed', 10));
    expect(first).toMatchObject({
      name: 'step call',
      startMs: 1,
      endMs: 5,
      error: 'http_error: 502',
      attributes: { 'duet.step.attempt': 1 },
    });
    expect(second).toMatchObject({
      startMs: 6,
      endMs: 9,
      attributes: { 'duet.step.attempt': 2, 'duet.status': 'completed' },
    });
    expect(second!.spanId).not.toBe(first!.spanId);
    expect(execution).toMatchObject({
      name: 'execution',
      traceId: '00000000000040008000000000000001',
      startMs: 0,
      endMs: 10,
      attributes: { 'duet.execution.mode': 'autonomous', 'duet.workflow.version': 2 },
    });
    expect(execution!.error).toBeUndefined();
  });

  it('holds at most maxOpen spans open and drops the oldest rather than ending them', () => {
    const t = new SpanTracker(2);
    for (let n = 1; n <= 3; n++) t.accept(ev(id(n), 'execution.queued', n));
    expect(t.accept(ev(id(1), 'execution.completed', 10))[0]?.startMs).toBe(10); // id(1) was dropped: a fresh zero-length span
    expect(t.accept(ev(id(3), 'execution.completed', 10))[0]?.startMs).toBe(3);
  });

  it('writes OTLP JSON with nanosecond times and error status', () => {
    const request = otlpRequest('duet', '0.1.0', [
      {
        traceId: 'a'.repeat(32),
        spanId: 'b'.repeat(16),
        name: 'execution',
        startMs: 1,
        endMs: 2,
        attributes: { n: 1 },
        error: 'failed',
      },
    ]);
    expect(request.resourceSpans[0]!.scopeSpans[0]!.spans[0]).toMatchObject({
      startTimeUnixNano: '1000000',
      endTimeUnixNano: '2000000',
      status: { code: 2, message: 'failed' },
      attributes: [{ key: 'n', value: { intValue: '1' } }],
    });
  });
});
