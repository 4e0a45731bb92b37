import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKey, addWorkspace } from '../support/accounts.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import type { Json } from '../support/http.ts';
import { chain, getExecution, node, publish, start, until } from '../support/workflows.ts';

/**
 * What the author of a `function` block sees when its code reaches for the host: the network, the file system,
 * the process and its environment. Each runs as a real step of a real execution.
 */
let t: TestApp;
let runs = 0;
beforeAll(async () => {
  process.env.DUET_ISOLATION_PROBE = 'host-secret';
  t = await startTestApp();
});
afterAll(async () => {
  delete process.env.DUET_ISOLATION_PROBE;
  await t.close();
});

async function runCode(code: string): Promise<Json> {
  const slug = await publish(t.app, {
    name: `Probe ${++runs}`,
    nodes: [node('start', 'start'), node('probe', 'function', { code })],
    edges: chain('start', 'probe'),
  });
  return (await start(t.app, slug, { input: {} }, 10_000)).body;
}

async function stepError(code: string): Promise<string> {
  const body = await runCode(code);
  expect(body.status, JSON.stringify(body.output)).toBe('failed');
  expect(body.error).toMatchObject({ code: 'step_failed', nodeId: 'probe' });
  return body.error.step.message;
}

async function output(code: string): Promise<unknown> {
  const body = await runCode(code);
  expect(body.status, JSON.stringify(body.error)).toBe('completed');
  return body.output;
}

describe('function blocks cannot reach the host', () => {
  it.each([
    ['fetch', "return await fetch('http://127.0.0.1:9/')", "ReferenceError: 'fetch' is not defined (line 1)"],
    [
      'XMLHttpRequest',
      "const x = new XMLHttpRequest(); x.open('GET', 'http://127.0.0.1:9/')",
      "ReferenceError: 'XMLHttpRequest' is not defined (line 1)",
    ],
    [
      "require('http')",
      "return require('http').get('http://127.0.0.1:9/')",
      "ReferenceError: 'require' is not defined (line 1)",
    ],
    [
      "import('node:http')",
      "const http = await import('node:http'); return typeof http",
      "ReferenceError: could not load module 'node:http'",
    ],
    [
      "import('fs')",
      "const fs = await import('fs'); return fs.readFileSync('/etc/passwd', 'utf8')",
      "ReferenceError: could not load module 'fs'",
    ],
    [
      "require('fs')",
      "return require('fs').readFileSync('/etc/passwd', 'utf8')",
      "ReferenceError: 'require' is not defined (line 1)",
    ],
    ['process.binding', "return process.binding('fs')", "ReferenceError: 'process' is not defined (line 1)"],
    ['process.env', 'return process.env.DUET_ISOLATION_PROBE', "ReferenceError: 'process' is not defined (line 1)"],
    [
      'the Function constructor',
      "return this.constructor.constructor('return process')().env",
      "ReferenceError: 'process' is not defined (line 1)",
    ],
    [
      'the Function constructor of an input value',
      "return input.constructor.constructor('return process')().env",
      "ReferenceError: 'process' is not defined (line 1)",
    ],
  ])('%s fails the step: nothing of the kind exists in the sandbox', async (_what, code, message) => {
    expect(await stepError(code)).toBe(message);
  });

  it('finds no process on globalThis, nor through eval or the global object the Function constructor returns', async () => {
    expect(
      await output(`return [
      globalThis.process, typeof process, eval('typeof require'),
      Function('return typeof process')(), Function('return this')().process,
    ]`),
    ).toEqual([null, 'undefined', 'undefined', 'undefined', null]);
  });

  it('has only the language built-ins: no host object under any name', async () => {
    const host = [
      'process',
      'require',
      'module',
      'exports',
      'fetch',
      'XMLHttpRequest',
      'WebSocket',
      'Buffer',
      'setTimeout',
      'setInterval',
      'queueMicrotask',
      'std',
      'os',
      'Deno',
      'Bun',
      '__dirname',
    ];
    const names = (await output('return Object.getOwnPropertyNames(globalThis)')) as string[];
    expect(names).toContain('JSON');
    expect(names.filter((name) => host.includes(name))).toEqual([]);
  });

  it('finds no trace of the host environment in anything it can reach', async () => {
    const seen = await output('return JSON.stringify([globalThis, input, steps, vars, execution])');
    expect(seen).not.toContain('host-secret');
  });
});

describe('function blocks run on worker threads', () => {
  let pool: TestApp;
  beforeAll(async () => {
    pool = await startTestApp({ FUNCTION_TIMEOUT_MS: '2000', FUNCTION_WORKERS: '2' });
  });
  afterAll(() => pool.close());

  const functionFlow = (name: string, code: string) => ({
    name,
    nodes: [node('start', 'start'), node('fn', 'function', { code })],
    edges: chain('start', 'fn'),
  });

  it('fails a runaway step at its time limit while other executions complete meanwhile', async () => {
    const quick = await publish(pool.app, functionFlow('Quick', 'return input.n * 2'));
    const runaway = await publish(pool.app, functionFlow('Runaway', 'while (true) {}'));
    // Two at once start both workers, so that no execution below waits for a worker to boot.
    const warm = await Promise.all([1, 2].map((n) => start(pool.app, quick, { input: { n } }, 30_000)));
    expect(warm.map((r) => r.body.output)).toEqual([2, 4]);

    const spinning = (await start(pool.app, runaway, { input: {} })).body.id as string;
    await until(pool.app, spinning, ['running']);
    const others = await Promise.all([3, 4, 5].map((n) => start(pool.app, quick, { input: { n } }, 10_000)));
    expect(others.map((r) => [r.body.status, r.body.output])).toEqual([
      ['completed', 6],
      ['completed', 8],
      ['completed', 10],
    ]);
    expect((await getExecution(pool.app, spinning)).status).toBe('running');

    const ended = await until(pool.app, spinning, ['failed', 'completed']);
    expect(ended.status).toBe('failed');
    expect(ended.error.step).toMatchObject({ code: 'timeout', message: 'Function ran longer than 2000 ms' });
  });

  it('gives every step a fresh global: what one execution leaves behind, the next, in another workspace too, does not see', async () => {
    const setsAndReads = 'const before = typeof globalThis.x; globalThis.x = 1; return [before, typeof globalThis.x]';
    const mine = await publish(pool.app, functionFlow('Leaves x', setsAndReads));
    expect((await start(pool.app, mine, { input: {} }, 10_000)).body.output).toEqual(['undefined', 'number']);
    expect((await start(pool.app, mine, { input: {} }, 10_000)).body.output).toEqual(['undefined', 'number']);

    const other = await addWorkspace(pool.db, `other-${randomUUID().slice(0, 8)}`);
    const { key } = await addKey(pool.db, other, 'admin');
    const inOther = {
      inject: (options: InjectOptions) =>
        pool.anonymous({ ...options, headers: { ...options.headers, authorization: `Bearer ${key}` } }),
    } as unknown as FastifyInstance;
    const theirs = await publish(inOther, functionFlow('Reads x', 'return typeof globalThis.x'));
    expect((await start(inOther, theirs, { input: {} }, 10_000)).body.output).toBe('undefined');
  });
});
