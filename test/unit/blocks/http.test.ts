import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHttpBlock } from '../../../src/engine/blocks/http.ts';
import { StepError, type StepContext } from '../../../src/engine/blocks/types.ts';
import { stepContext } from '../../support/step-context.ts';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const MiB = 1024 * 1024;
let server: Server;
let base: string;
let last: Received | undefined;
const hanging: ServerResponse[] = [];

/** Routes for every case: echo what arrived, answer a status, a type, never, or far too much. */
function handle(req: Received, res: ServerResponse): void {
  const path = new URL(req.url, 'http://x').pathname;
  const status = /^\/status\/(\d{3})$/.exec(path);
  if (status) {
    res.writeHead(Number(status[1]), { 'content-type': 'application/json' }).end('{"error":"nope"}');
  } else if (path === '/text') {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('héllo');
  } else if (path === '/binary') {
    res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0, 1, 2, 255]));
  } else if (path === '/bad-json') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"oops":');
  } else if (path === '/problem') {
    res.writeHead(200, { 'content-type': 'application/problem+json' }).end('{"title":"x"}');
  } else if (path === '/hang') {
    hanging.push(res);
  } else if (path === '/huge') {
    res.writeHead(200, { 'content-type': 'application/octet-stream' }); // chunked: no length to check up front
    res.on('error', () => undefined);
    const chunk = Buffer.alloc(256 * 1024, 1);
    for (let i = 0; i < 24; i++) res.write(chunk);
    res.end();
  } else if (path === '/huge-declared') {
    res.on('error', () => undefined);
    res
      .writeHead(200, { 'content-type': 'text/plain', 'content-length': String(6 * MiB) })
      .end(Buffer.alloc(6 * MiB, 97));
  } else {
    res
      .writeHead(200, { 'content-type': 'application/json', 'x-served-by': 'test' })
      .end(JSON.stringify({ ok: true, path }));
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      last = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      handle(last, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function context(config: Record<string, unknown>, signal = new AbortController().signal): StepContext {
  return stepContext({
    node: { id: 'pay', type: 'http', name: 'Pay' },
    config,
    template: {
      input: { orderId: 'A-17', amount: 12.5 },
      steps: {},
      vars: {},
      execution: { id: 'exec-1' },
      env: { BASE: base },
    },
    attempt: 2,
    signal,
  });
}

async function run(config: Record<string, unknown>, signal?: AbortSignal) {
  const outcome = await runHttpBlock(context(config, signal));
  if (outcome.kind !== 'completed') throw new Error(`unexpected outcome ${outcome.kind}`);
  return outcome.output as { status: number; statusText: string; headers: Record<string, string>; body: unknown };
}

async function failure(config: Record<string, unknown>, signal?: AbortSignal): Promise<StepError> {
  const err = await runHttpBlock(context(config, signal)).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StepError);
  return err as StepError;
}

describe('http block: requests', () => {
  it('sends a GET with a templated url, query and headers', async () => {
    const output = await run({
      url: '{{ env.BASE }}/orders/{{ input.orderId }}?keep=1',
      query: { expand: 'items', amount: '{{ input.amount }}', missing: '{{ input.nothing }}' },
      headers: { 'X-Order': 'order {{ input.orderId }}' },
    });
    expect(last).toMatchObject({ method: 'GET', url: '/orders/A-17?keep=1&expand=items&amount=12.5', body: '' });
    expect(last?.headers['x-order']).toBe('order A-17');
    expect(output).toEqual({
      status: 200,
      statusText: 'OK',
      headers: expect.objectContaining({ 'content-type': 'application/json', 'x-served-by': 'test' }),
      body: { ok: true, path: '/orders/A-17' },
    });
  });

  it('POSTs a templated JSON body exactly', async () => {
    await run({
      method: 'POST',
      url: `${base}/refunds`,
      body: {
        order: '{{ input.orderId }}',
        amount: '{{ input.amount }}',
        tags: ['a', null],
        note: 'for {{ execution.id }}',
      },
    });
    expect(last?.method).toBe('POST');
    expect(last?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(last?.body ?? '')).toEqual({
      order: 'A-17',
      amount: 12.5,
      tags: ['a', null],
      note: 'for exec-1',
    });
  });

  it('sends a string body as text unless a header names another type', async () => {
    await run({ method: 'PUT', url: `${base}/x`, body: 'order {{ input.orderId }}' });
    expect(last).toMatchObject({ method: 'PUT', body: 'order A-17' });
    expect(last?.headers['content-type']).toBe('text/plain; charset=utf-8');

    await run({ method: 'PATCH', url: `${base}/x`, body: '<a/>', headers: { 'Content-Type': 'application/xml' } });
    expect(last?.headers['content-type']).toBe('application/xml');
  });

  it('sends no body with a GET', async () => {
    await run({ url: `${base}/x`, body: { ignored: true } });
    expect(last?.body).toBe('');
    expect(last?.headers['content-type']).toBeUndefined();
  });

  it('sends Idempotency-Key execution:node:attempt and User-Agent Duet; user headers win except the key', async () => {
    await run({ method: 'POST', url: `${base}/x`, body: {} });
    expect(last?.headers['idempotency-key']).toBe('exec-1:pay:2');
    expect(last?.headers['user-agent']).toBe('Duet');

    await run({ method: 'POST', url: `${base}/x`, headers: { 'user-agent': 'mine', 'Idempotency-Key': 'forged' } });
    expect(last?.headers['idempotency-key']).toBe('exec-1:pay:2');
    expect(last?.headers['user-agent']).toBe('mine');
  });
});

describe('http block: responses', () => {
  it('returns text as a string', async () => {
    expect((await run({ url: `${base}/text` })).body).toBe('héllo');
  });

  it('returns binary as base64 with type and size', async () => {
    expect((await run({ url: `${base}/binary` })).body).toEqual({
      base64: 'AAEC/w==',
      contentType: 'image/png',
      size: 4,
    });
  });

  it('returns invalid JSON as its raw text and parses +json types', async () => {
    expect((await run({ url: `${base}/bad-json` })).body).toBe('{"oops":');
    expect((await run({ url: `${base}/problem` })).body).toEqual({ title: 'x' });
  });

  it('fails a 404 for good, with what the server answered', async () => {
    const err = await failure({ url: `${base}/status/404` });
    expect(err).toMatchObject({
      code: 'http_404',
      retryable: false,
      message: `GET ${base}/status/404 answered 404 Not Found`,
    });
    expect(err.details).toMatchObject({
      status: 404,
      body: { error: 'nope' },
      headers: { 'content-type': 'application/json' },
    });
  });

  it.each([
    [503, 'Service Unavailable'],
    [429, 'Too Many Requests'],
    [408, 'Request Timeout'],
  ])('fails a %i as retryable', async (status, text) => {
    const err = await failure({ method: 'POST', url: `${base}/status/${status}`, body: {} });
    expect(err).toMatchObject({
      code: `http_${status}`,
      retryable: true,
      message: `POST ${base}/status/${status} answered ${status} ${text}`,
    });
    expect(err.details).toMatchObject({ status, body: { error: 'nope' } });
  });

  it('stops reading a streamed response over 5 MiB', async () => {
    const err = await failure({ url: `${base}/huge` });
    expect(err).toMatchObject({ code: 'response_too_large', retryable: false });
    expect(err.message).toContain('5 MiB');
  });

  it('refuses a response whose declared length is over 5 MiB', async () => {
    expect(await failure({ url: `${base}/huge-declared` })).toMatchObject({
      code: 'response_too_large',
      retryable: false,
    });
  });
});

describe('http block: failures', () => {
  it('times out after timeoutMs, naming the url and the limit', async () => {
    const err = await failure({ url: `${base}/hang?token=secret`, timeoutMs: 200 });
    expect(err).toMatchObject({
      code: 'timeout',
      retryable: true,
      message: `GET ${base}/hang did not answer within 200 ms`,
    });
  });

  it('treats the engine aborting with a TimeoutError as a timeout', async () => {
    expect(await failure({ url: `${base}/hang` }, AbortSignal.timeout(100))).toMatchObject({
      code: 'timeout',
      retryable: true,
    });
  });

  it('reports a cancellation mid-request', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const err = await failure({ url: `${base}/hang` }, controller.signal);
    expect(err).toMatchObject({ code: 'cancelled', retryable: false, message: 'cancelled' });
  });

  it('reports a refused connection as a retryable network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const err = await failure({ url: `http://127.0.0.1:${port}/x` });
    expect(err).toMatchObject({ code: 'network_error', retryable: true });
    expect(err.message).toContain('ECONNREFUSED');
  });

  it.each([
    ['not a url', 'not a url'],
    ['ftp://example.com/file', 'ftp://example.com/file'],
    ['{{ input.orderId }}', 'A-17'],
    ['{{ input.amount }}', '12.5'],
  ])('rejects the url %j', async (url, shown) => {
    const err = await failure({ url });
    expect(err).toMatchObject({ code: 'invalid_url', retryable: false });
    expect(err.message).toContain(`"${shown}"`);
  });

  it('rejects credentials in the url without echoing them', async () => {
    const err = await failure({ url: 'http://user:hunter2@127.0.0.1/x' });
    expect(err).toMatchObject({ code: 'invalid_url', retryable: false });
    expect(err.message).not.toContain('hunter2');
  });

  it.each([
    [{}, 'url'],
    [{ url: 'http://127.0.0.1/x', method: 'FETCH' }, 'method'],
    [{ url: 'http://127.0.0.1/x', bogus: 1 }, 'bogus'],
    [{ url: 'http://127.0.0.1/x', timeoutMs: 0 }, 'timeoutMs'],
  ])('rejects the config %j', async (config, mentioned) => {
    const err = await failure(config);
    expect(err).toMatchObject({ code: 'invalid_config', retryable: false });
    expect(err.message).toContain(mentioned);
  });

  it('rejects a header value with a line break', async () => {
    const err = await failure({ url: `${base}/x`, headers: { 'X-Evil': 'a\r\nInjected: 1' } });
    expect(err).toMatchObject({ code: 'invalid_config', retryable: false });
  });
});
