import { describe, expect, it } from 'vitest';
import { appWithSockets, ask } from '../support/sockets.ts';
import type { Json } from '../support/http.ts';
import { command, edge, node, publish, start, until } from '../support/workflows.ts';

const t = appWithSockets();

const gate = {
  name: 'Gate',
  nodes: [
    node('start', 'start'),
    node('gate', 'approval', { prompt: 'Go?' }),
    node('done', 'response', { output: 'went' }),
  ],
  edges: [edge('start', 'gate'), edge('gate', 'done', 'approved')],
};
const failing = {
  name: 'Boom',
  nodes: [node('start', 'start'), node('boom', 'function', { code: 'throw new Error("no")' })],
  edges: [edge('start', 'boom')],
};

async function summaries(query = ''): Promise<Json> {
  const response = await t.app.inject({ method: 'GET', url: `/api/v1/workspaces${query}` });
  expect(response.statusCode).toBe(200);
  return response.json();
}

const client = t.client;

describe('GET /api/v1/workspaces', () => {
  it('lists the default workspace with zero counts before anything ran', async () => {
    const body = await summaries();
    expect(body.nextCursor).toBeNull();
    expect(body.items).toEqual([
      expect.objectContaining({
        slug: 'default',
        name: 'Default',
        status: 'active',
        priority: 0,
        counts: { running: 0, waiting: 0, failed: 0, completed: 0 },
      }),
    ]);
  });

  it('counts waiting, completed and failed executions', async () => {
    const slug = await publish(t.app, gate);
    const waiting = (await start(t.app, slug)).body.id;
    await until(t.app, waiting, ['waiting']);
    const approved = (await start(t.app, slug)).body.id;
    await until(t.app, approved, ['waiting']);
    await command(t.app, approved, 'approval', { decision: 'approve' });
    await until(t.app, approved, ['completed']);
    const boom = await publish(t.app, failing);
    await until(t.app, (await start(t.app, boom)).body.id, ['failed']);

    const [workspace] = (await summaries()).items;
    expect(workspace.counts).toEqual({ running: 0, waiting: 1, failed: 1, completed: 1 });
  });

  it('refuses a window it cannot honour with the error envelope', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/workspaces?hours=0' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
  });
});

describe('workspace socket room', () => {
  it('streams every execution event of the workspace, with its workflow id, once subscribed', async () => {
    const socket = client();
    const [workspace] = (await summaries()).items;
    expect(await ask(socket, 'workspace.subscribe', { workspaceId: workspace.id })).toEqual({ ok: true });
    const seen: Json[] = [];
    const waited = new Promise<void>((resolve) =>
      socket.on('execution.event', (e: Json) => {
        seen.push(e);
        if (e.type === 'execution.waiting') resolve();
      }),
    );
    const slug = await publish(t.app, gate);
    const { body } = await start(t.app, slug);
    await waited;
    const workflow = (await t.app.inject({ method: 'GET', url: `/api/v1/workflows/${slug}` })).json();
    expect(seen.every((e) => e.executionId === body.id && e.workflowId === workflow.id)).toBe(true);
    expect(seen.map((e) => e.offset)).toEqual(seen.map((_, i) => i + 1));
  });

  it('sends nothing after workspace.unsubscribe, and refuses a workspace the socket does not act in', async () => {
    const socket = client();
    const [workspace] = (await summaries()).items;
    await ask(socket, 'workspace.subscribe', { workspaceId: workspace.id });
    socket.emit('workspace.unsubscribe', { workspaceId: workspace.id });
    const other = await ask(socket, 'workspace.subscribe', { workspaceId: '00000000-0000-4000-8000-000000000000' });
    expect(other.error.code).toBe('not_found');
    const received: Json[] = [];
    socket.on('execution.event', (e: Json) => received.push(e));
    const slug = await publish(t.app, gate);
    await until(t.app, (await start(t.app, slug)).body.id, ['waiting']);
    await new Promise((r) => setTimeout(r, 100));
    expect(received).toEqual([]);
  });
});
