import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app.ts';
import { chain, node, publish, start } from '../support/workflows.ts';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status: { code: number; message?: string };
  attributes: Array<{ key: string; value: { stringValue?: string; intValue?: string } }>;
}

let collector: Server;
let endpoint: string;
const received: Array<{
  path: string;
  contentType: string;
  body: {
    resourceSpans: Array<{
      resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
      scopeSpans: Array<{ spans: OtlpSpan[] }>;
    }>;
  };
}> = [];

beforeAll(async () => {
  // A loopback collector speaking OTLP/HTTP JSON: it accepts POST /v1/traces and records what arrives.
  collector = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: String(req.headers['content-type']), body: JSON.parse(text) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(collector.address() as { port: number }).port}`;
});
afterAll(() => {
  collector.close();
});

const attr = (span: OtlpSpan, key: string) => {
  const a = span.attributes.find((x) => x.key === key)?.value;
  return a?.stringValue ?? a?.intValue;
};

describe('OpenTelemetry traces (OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  it('exports one span per execution and per step, children under the step that spawned them, failures as errors', async () => {
    const t = await startTestApp({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'duet-test' });
    const ok = await publish(t.app, {
      name: 'Traced',
      nodes: [
        node('start', 'start'),
        node('each', 'loop', { items: '[1, 2]' }),
        node('sq', 'function', { code: 'return vars.item * 2' }, { parentId: 'each' }),
        node('done', 'response', { output: '{{ steps.each.output }}' }),
      ],
      edges: chain('start', 'each', 'done'),
    });
    const bad = await publish(t.app, {
      name: 'Broken',
      nodes: [
        node('start', 'start'),
        node('boom', 'function', { code: 'throw new Error("nope")' }),
        node('done', 'response', { output: 1 }),
      ],
      edges: chain('start', 'boom', 'done'),
    });
    const good = (await start(t.app, ok, {}, 10_000)).body;
    const failed = (await start(t.app, bad, {}, 10_000)).body;
    expect([good.status, failed.status]).toEqual(['completed', 'failed']);
    await t.close();

    expect(received.length).toBeGreaterThan(0);
    expect(received.every((r) => r.path === '/v1/traces' && r.contentType === 'application/json')).toBe(true);
    expect(received[0]!.body.resourceSpans[0]!.resource.attributes).toContainEqual({
      key: 'service.name',
      value: { stringValue: 'duet-test' },
    });
    const spans = received.flatMap((r) =>
      r.body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)),
    );

    const root = spans.find((s) => s.name === 'execution' && attr(s, 'duet.execution.id') === good.id)!;
    expect(root).toBeDefined();
    expect(root.traceId).toBe(good.id.replaceAll('-', ''));
    expect(root.status.code).toBe(1);
    expect(BigInt(root.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(root.startTimeUnixNano));
    const inTrace = spans.filter((s) => s.traceId === root.traceId);
    const loopStep = inTrace.find((s) => s.name === 'step each')!;
    expect(loopStep.parentSpanId).toBe(root.spanId);
    expect(attr(loopStep, 'duet.block.type')).toBe('loop');
    const children = inTrace.filter((s) => s.name === 'child execution');
    expect(children).toHaveLength(2);
    for (const child of children) {
      expect(child.parentSpanId).toBe(loopStep.spanId);
      expect(inTrace.filter((s) => s.name === 'step sq' && s.parentSpanId === child.spanId)).toHaveLength(1);
    }

    const failedRoot = spans.find((s) => s.name === 'execution' && attr(s, 'duet.execution.id') === failed.id)!;
    expect(failedRoot.status.code).toBe(2);
    const boom = spans.find((s) => s.name === 'step boom' && s.traceId === failedRoot.traceId)!;
    expect(boom.status).toMatchObject({ code: 2, message: expect.stringContaining('nope') });
  });

  it('keeps working when the collector is gone', async () => {
    const t = await startTestApp({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' });
    const slug = await publish(t.app, {
      name: 'Quiet',
      nodes: [node('start', 'start'), node('done', 'response', { output: 1 })],
      edges: chain('start', 'done'),
    });
    expect((await start(t.app, slug, {}, 10_000)).body.status).toBe('completed');
    await t.close();
  });
});
