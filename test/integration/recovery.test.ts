import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, freePort, startServeProcess } from '../support/cli.ts';
import { fetchJson, type Json } from '../support/http.ts';
import { chain, node } from '../support/workflows.ts';

/** A loopback service that holds requests until told to answer, counting every request it gets. */
let held: ServerResponse[] = [];
let holding = true;
let hits = 0;
const keys: string[] = [];
const slow = createServer((req, res) => {
  hits++;
  keys.push(String(req.headers['idempotency-key']));
  if (holding) held.push(res);
  else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ paid: true }));
});

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'duet-recovery-'));
  await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  slow.closeAllConnections();
  await new Promise((r) => slow.close(r));
  await rm(dataDir, { recursive: true, force: true });
});

let port = 0;
let base = '';
const env = () => ({
  DATA_DIR: dataDir,
  WORKFLOW_ENV_ALLOWLIST: 'SLOW_URL',
  SLOW_URL: `http://127.0.0.1:${(slow.address() as { port: number }).port}`,
});

async function publish(graph: object): Promise<string> {
  const created = await fetchJson(`${base}/api/v1/workflows`, { method: 'POST', body: graph });
  await fetchJson(`${base}/api/v1/workflows/${created.body.slug}/versions`, { method: 'POST' });
  return created.body.slug;
}

async function waitFor(id: string, check: (e: Json) => boolean, what: string, timeoutMs = 20_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await fetchJson(`${base}/api/v1/executions/${id}`);
    if (check(body)) return body;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(body).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const attempts = (execution: Json, nodeId: string) =>
  execution.steps.filter((s: Json) => s.nodeId === nodeId).map((s: Json) => `${s.attempt}:${s.status}`);

describe('crash recovery', () => {
  it('continues running, waiting and sleeping executions after SIGKILL without re-running completed steps', async () => {
    let server = await startServeProcess(env(), port);
    const approve = await publish({
      name: 'Approve',
      nodes: [
        node('start', 'start'),
        node('count', 'function', { code: 'return 1' }),
        node('gate', 'approval', { prompt: 'OK?' }),
        node('done', 'response', { output: 'approved' }),
      ],
      edges: [
        ...chain('start', 'count', 'gate'),
        { id: 'g', source: 'gate', sourceHandle: 'approved', target: 'done' },
      ],
    });
    const nap = await publish({
      name: 'Nap',
      nodes: [
        node('start', 'start'),
        node('nap', 'wait', { durationMs: 4000 }),
        node('done', 'response', { output: 'rested' }),
      ],
      edges: chain('start', 'nap', 'done'),
    });
    const call = await publish({
      name: 'Call',
      nodes: [
        node('start', 'start'),
        node('prep', 'function', { code: 'return "ready"' }),
        node('pay', 'http', { method: 'POST', url: '{{env.SLOW_URL}}/pay' }),
        node('done', 'response', { output: '{{ steps.pay.output.body }}' }),
      ],
      edges: chain('start', 'prep', 'pay', 'done'),
    });

    const a = (await fetchJson(`${base}/api/v1/workflows/${approve}/executions`, { method: 'POST', body: {} })).body.id;
    const b = (await fetchJson(`${base}/api/v1/workflows/${nap}/executions`, { method: 'POST', body: {} })).body.id;
    const c = (await fetchJson(`${base}/api/v1/workflows/${call}/executions`, { method: 'POST', body: {} })).body.id;
    await waitFor(a, (e) => e.status === 'waiting', 'A waiting for approval');
    await waitFor(b, (e) => e.status === 'waiting' && e.waiting?.reason === 'time', 'B sleeping');
    await waitFor(c, (e) => e.currentNodeIds.includes('pay'), 'C calling the service');
    while (hits < 1) await new Promise((r) => setTimeout(r, 20));

    server.child.kill('SIGKILL');
    await exited(server.child);
    for (const res of held) res.destroy();
    held = [];
    holding = false;

    server = await startServeProcess(env(), port);
    try {
      const cDone = await waitFor(c, (e) => e.status === 'completed', 'C completed after restart');
      expect(cDone.output).toEqual({ paid: true });
      expect(attempts(cDone, 'prep')).toEqual(['1:completed']);
      // The interrupted attempt runs again under its own number, so the service sees the same key twice.
      expect(attempts(cDone, 'pay')).toEqual(['1:completed']);
      expect(hits).toBe(2);
      expect(keys).toEqual([`${c}:pay:1`, `${c}:pay:1`]);
      const cEvents = (await fetchJson(`${base}/api/v1/executions/${c}/events`)).body.items.map(
        (e: Json) => `${e.type}${e.nodeId ? `:${e.nodeId}` : ''}`,
      );
      expect(cEvents.filter((t: string) => t.endsWith(':pay'))).toEqual([
        'step.started:pay',
        'step.interrupted:pay',
        'step.started:pay',
        'step.completed:pay',
      ]);

      const aWaiting = await fetchJson(`${base}/api/v1/executions/${a}`);
      expect(aWaiting.body).toMatchObject({ status: 'waiting', waiting: { reason: 'approval', nodeId: 'gate' } });
      await fetchJson(`${base}/api/v1/executions/${a}/approval`, { method: 'POST', body: { decision: 'approve' } });
      const aDone = await waitFor(a, (e) => e.status === 'completed', 'A completed after approval');
      expect(aDone.output).toBe('approved');
      expect(attempts(aDone, 'count')).toEqual(['1:completed']);

      const bDone = await waitFor(b, (e) => e.status === 'completed', 'B woke up');
      expect(bDone.output).toBe('rested');
      expect(attempts(bDone, 'nap')).toEqual(['1:completed']);

      for (const id of [a, b, c]) {
        const events = (await fetchJson(`${base}/api/v1/executions/${id}/events`)).body.items;
        expect(events.map((e: Json) => e.offset)).toEqual(events.map((_: Json, i: number) => i + 1));
      }
    } finally {
      server.child.kill('SIGTERM');
      await exited(server.child);
    }
  }, 120_000);
});
