import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import type { Json } from '../support/http.ts';
import { chain, node, publish, start } from '../support/workflows.ts';

/** A loopback server that counts what reaches it: the proof that a refused request never left. */
interface Target {
  url: string;
  hits: number;
  close(): Promise<void>;
}

async function listen(
  host: string,
  handler: RequestListener = (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
): Promise<Target> {
  const target: Target = {
    url: '',
    hits: 0,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  const server = createServer((req, res) => {
    target.hits++;
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const { port } = server.address() as AddressInfo;
  target.url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return target;
}

/** Linux routes all of 127.0.0.0/8 to this machine: 127.0.0.2 stands in for an allowed host, 127.0.0.1 for a forbidden one. */
let loopback: Target;
let allowed: Target;
beforeAll(async () => {
  loopback = await listen('127.0.0.1');
  allowed = await listen('127.0.0.2', (req, res) => {
    const to = new URL(req.url!, 'http://x').searchParams.get('to');
    if (to) res.writeHead(302, { location: to }).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"from":"allowed"}');
  });
});
afterAll(async () => {
  await loopback.close();
  await allowed.close();
});

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  loopback.hits = 0;
  allowed.hits = 0;
});

/** A Duet whose HTTP_ALLOWED_HOSTS is `allowedHosts` ('' = the product default: nothing private). */
async function duet(allowedHosts: string): Promise<void> {
  await t?.close();
  t = await startTestApp({ HTTP_ALLOWED_HOSTS: allowedHosts });
}

/** Runs a workflow of one http step (with retries, which a refusal must not use) against `url`. */
async function run(url: string): Promise<Json> {
  const slug = await publish(t!.app, {
    name: 'Call',
    nodes: [
      node('start', 'start'),
      node('call', 'http', { url, timeoutMs: 5000, retry: { maxAttempts: 3, delayMs: 1 } }),
    ],
    edges: chain('start', 'call'),
  });
  return (await start(t!.app, slug, {}, 10_000)).body;
}

async function call(allowedHosts: string, url: string): Promise<Json> {
  await duet(allowedHosts);
  return run(url);
}

/** The execution failed at the http step, refused on its first attempt with no retry. */
function expectRefused(body: Json, message: string): void {
  expect(body.status).toBe('failed');
  expect(body.error.step).toMatchObject({ code: 'address_not_allowed', retryable: false });
  expect(body.error.step.message).toContain(message);
  expect(body.error.step.message).toContain('to HTTP_ALLOWED_HOSTS');
  expect(body.steps.filter((s: { nodeId: string }) => s.nodeId === 'call')).toHaveLength(1);
}

describe('http block: private addresses (SSRF)', () => {
  it('refuses a loopback server by default, and the server receives nothing', async () => {
    const body = await call('', `${loopback.url}/pay?key=secret`);
    expectRefused(
      body,
      `GET ${loopback.url}/pay refused: 127.0.0.1 is a loopback address, which http blocks may not reach by default; if this workflow should reach it, add "127.0.0.1" to HTTP_ALLOWED_HOSTS`,
    );
    expect(body.error.step.message).not.toContain('secret');
    expect(loopback.hits).toBe(0);
  });

  it('reaches it once HTTP_ALLOWED_HOSTS lists its IP, or a CIDR range holding it', async () => {
    expect(await call('127.0.0.1', `${loopback.url}/pay`)).toMatchObject({
      status: 'completed',
      output: { status: 200, body: { ok: true } },
    });
    expect(await call('10.0.0.0/8,127.0.0.0/30', `${loopback.url}/pay`)).toMatchObject({ status: 'completed' });
    expect(loopback.hits).toBe(2);
  });

  it('sees through other spellings of loopback: a decimal number, hex, IPv4-mapped IPv6', async () => {
    const port = new URL(loopback.url).port;
    await duet('');
    for (const url of [`http://2130706433:${port}/`, `http://0x7f.1:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`]) {
      expectRefused(await run(url), 'is a loopback address');
    }
    expect(loopback.hits).toBe(0);
  });

  it('resolves a name and refuses it when it resolves to loopback, naming both', async () => {
    const url = loopback.url.replace('127.0.0.1', 'localhost');
    expectRefused(
      await call('127.0.0.2', url),
      'localhost (127.0.0.1) is a loopback address, which http blocks may not reach by default; if this workflow should reach it, add "localhost" or "127.0.0.1" to HTTP_ALLOWED_HOSTS',
    );
    expect(loopback.hits).toBe(0);
    expect(await call('localhost', url)).toMatchObject({ status: 'completed' });
    expect(loopback.hits).toBe(1);
  });

  it('checks every redirect: an allowed host that redirects to a forbidden one is refused there', async () => {
    const inside = `${loopback.url}/inside`;
    await duet('127.0.0.2/32');
    for (const [to, refusal] of [
      [inside, '127.0.0.1 is a loopback address'],
      [inside.replace('127.0.0.1', 'localhost'), 'localhost (127.0.0.1) is a loopback address'],
    ]) {
      expectRefused(
        await run(`${allowed.url}/go?to=${encodeURIComponent(to!)}`),
        `GET ${allowed.url}/go refused: ${refusal}`,
      );
    }
    expect(allowed.hits).toBe(2);
    expect(loopback.hits).toBe(0);
    // The same redirect to an allowed place is followed.
    const body = await run(`${allowed.url}/go?to=${encodeURIComponent(`${allowed.url}/there`)}`);
    expect(body).toMatchObject({ status: 'completed', output: { body: { from: 'allowed' } } });
  });

  it('refuses the cloud metadata address at once, whatever else is allowed, without connecting', async () => {
    await duet('127.0.0.1,localhost,::1');
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://0xa9fea9fe/',
      'http://[::ffff:169.254.169.254]/',
    ]) {
      const began = Date.now();
      expectRefused(await run(url), 'is a cloud metadata address');
      // Dialling an address where nothing answers would take until the 5 s timeout; the refusal comes before any socket.
      expect(Date.now() - began).toBeLessThan(2000);
    }
  });
});
