import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServeProcess, type DuetProcess } from '../support/cli.ts';
import { fetchJson, type Json } from '../support/http.ts';
import { chain, node } from '../support/workflows.ts';

/** A loopback payments service that holds requests until told to answer, recording each Idempotency-Key. */
let held: ServerResponse[] = [];
let holding = true;
const keys: string[] = [];
const payments = createServer((req, res) => {
  keys.push(String(req.headers['idempotency-key']));
  if (holding) held.push(res);
  else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ paid: true }));
});

let dataDir: string;
let port = 0;
let base = '';
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'duet-effects-'));
  await new Promise<void>((r) => payments.listen(0, '127.0.0.1', r));
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  payments.closeAllConnections();
  await new Promise((r) => payments.close(r));
  await rm(dataDir, { recursive: true, force: true });
});

const env = () => ({
  DATA_DIR: dataDir,
  FUNCTION_TIMEOUT_MS: '30000',
  WORKFLOW_ENV_ALLOWLIST: 'PAY_URL',
  PAY_URL: `http://127.0.0.1:${(payments.address() as { port: number }).port}`,
});

async function publish(graph: object): Promise<string> {
  const created = await fetchJson(`${base}/api/v1/workflows`, { method: 'POST', body: graph });
  await fetchJson(`${base}/api/v1/workflows/${created.body.slug}/versions`, { method: 'POST' });
  return created.body.slug;
}

const startRun = async (slug: string, input: object) =>
  (await fetchJson(`${base}/api/v1/workflows/${slug}/executions`, { method: 'POST', body: { input } })).body
    .id as string;
const read = async (id: string) => (await fetchJson(`${base}/api/v1/executions/${id}`)).body as Json;
const events = async (id: string) => (await fetchJson(`${base}/api/v1/executions/${id}/events`)).body.items as Json[];

async function waitFor(id: string, check: (e: Json) => boolean, what: string, timeoutMs = 60_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const body = await read(id);
    if (check(body)) return body;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(body).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const stepsOf = (execution: Json) => execution.steps.map((s: Json) => `${s.nodeId}:${s.attempt}:${s.status}`);

/** Every execution's events are numbered 1, 2, 3… with no gap and no repeat. */
async function expectGapFree(id: string): Promise<void> {
  const items = await events(id);
  expect(items.map((e) => e.offset)).toEqual(items.map((_, i) => i + 1));
}

describe('journal at effect boundaries, across SIGKILL', () => {
  it('re-runs pure steps a crash cut off with the same output, and commits them before an http call', async () => {
    let server: DuetProcess = await startServeProcess(env(), port);
    try {
      // Pure steps only: `spin` keeps the run busy in memory long enough to kill the process under it.
      const pure = await publish({
        name: 'Pure',
        inputs: { type: 'object', properties: { n: { type: 'number' } } },
        nodes: [
          node('start', 'start'),
          node('double', 'function', { code: 'return input.n * 2' }),
          node('spin', 'function', {
            code: 'const until = Date.now() + 8000; while (Date.now() < until) {} return steps.double.output + 1',
          }),
          node('done', 'response', { output: '{{ steps.spin.output }}' }),
        ],
        edges: chain('start', 'double', 'spin', 'done'),
      });
      const pay = await publish({
        name: 'Pay',
        nodes: [
          node('start', 'start'),
          node('prep', 'function', { code: 'return "ready"' }),
          node('pay', 'http', { method: 'POST', url: '{{env.PAY_URL}}/pay' }),
          node('done', 'response', { output: '{{ steps.pay.output.body }}' }),
        ],
        edges: chain('start', 'prep', 'pay', 'done'),
      });
      const paying = await startRun(pay, {});
      while (keys.length < 1) await new Promise((r) => setTimeout(r, 20));
      // The effectful step was written before it acted, together with the pure steps before it.
      expect(stepsOf(await read(paying))).toEqual(['start:1:completed', 'prep:1:completed', 'pay:1:running']);
      // `spin` holds the process (QuickJS runs on the event loop) while it is killed.
      const spinning = await startRun(pure, { n: 20 });
      await new Promise((r) => setTimeout(r, 2500));
      await server.stop('SIGKILL');
      for (const res of held) res.destroy();
      held = [];
      holding = false;
      server = await startServeProcess(env(), port);

      const pureDone = await waitFor(spinning, (e) => e.status === 'completed', 'the pure run after the restart');
      expect(pureDone.output).toBe(41);
      expect(stepsOf(pureDone)).toEqual([
        'start:1:completed',
        'double:1:completed',
        'spin:1:completed',
        'done:1:completed',
      ]);
      // Its pure steps were never written before the crash (else they would have been marked interrupted):
      // they simply ran again, once each in the log.
      const pureLog = (await events(spinning)).map((e) => `${e.type}${e.nodeId ? `:${e.nodeId}` : ''}`);
      expect(pureLog.filter((t) => t.startsWith('step.interrupted'))).toEqual([]);
      expect(pureLog.filter((t) => t.startsWith('step.started'))).toEqual([
        'step.started:start',
        'step.started:double',
        'step.started:spin',
        'step.started:done',
      ]);
      const payDone = await waitFor(paying, (e) => e.status === 'completed', 'the paying run after the restart');
      expect(payDone.output).toEqual({ paid: true });
      // Called again only after the crash, and with the same key, so the service can recognise the re-send.
      expect(keys).toEqual([`${paying}:pay:1`, `${paying}:pay:1`]);
      expect(stepsOf(payDone)).toEqual([
        'start:1:completed',
        'prep:1:completed',
        'pay:1:completed',
        'done:1:completed',
      ]);
      for (const id of [spinning, paying]) await expectGapFree(id);
    } finally {
      await server.stop();
    }
  }, 300_000);

  it('loses nothing and writes nothing twice when killed while batches of many executions commit', async () => {
    let server: DuetProcess = await startServeProcess(env(), port);
    try {
      const quick = await publish({
        name: 'Quick',
        inputs: { type: 'object', properties: { n: { type: 'number' } } },
        nodes: [
          node('start', 'start'),
          node('add', 'function', { code: 'return input.n + 1' }),
          node('done', 'response', { output: '{{ steps.add.output }}' }),
        ],
        edges: chain('start', 'add', 'done'),
      });
      // Executions keep arriving and committing in batches until the process is killed under them.
      const ids: string[] = [];
      const accepted = Array.from({ length: 60 }, (_, n) =>
        startRun(quick, { n }).then(
          (id) => ids.push(id),
          () => undefined, // cut off by the kill: never accepted
        ),
      );
      while (ids.length < 20) await new Promise((r) => setTimeout(r, 5));
      await server.stop('SIGKILL');
      await Promise.all(accepted);
      server = await startServeProcess(env(), port);

      // Every execution the API accepted finishes, once, with its own answer and a gap-free log.
      for (const id of ids) {
        const done = await waitFor(id, (e) => e.status === 'completed', `execution ${id} after the restart`);
        expect(done.output).toBe(done.input.n + 1);
        expect(stepsOf(done).filter((s: string) => s.endsWith(':completed'))).toEqual([
          'start:1:completed',
          'add:1:completed',
          'done:1:completed',
        ]);
        const log = (await events(id)).map((e) => e.type);
        expect(log.filter((t) => t === 'execution.completed')).toHaveLength(1);
        await expectGapFree(id);
      }
    } finally {
      await server.stop();
    }
  }, 300_000);
});
