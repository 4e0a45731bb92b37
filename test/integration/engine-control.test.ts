import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { useScriptedService } from '../support/scripted-service.ts';
import { chain, command, edge, getExecution, node, publish, start, until } from '../support/workflows.ts';

const service = useScriptedService();

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

const callGraph = service.callGraph.bind(service);

describe('retries and failures', () => {
  beforeEach(async () => {
    t = await startTestApp();
  });

  it('retries a failed step on command and finishes', async () => {
    service.script.push(500);
    const slug = await publish(t.app, callGraph('Retry me'));
    const { body } = await start(t.app, slug, {}, 10_000);
    expect(body.status).toBe('failed');
    const retried = await command(t.app, body.id, 'steps/call/retry');
    expect(retried.status).toBe(200);
    const done = await until(t.app, body.id, ['completed']);
    expect(
      done.steps.filter((s: { nodeId: string }) => s.nodeId === 'call').map((s: { status: string }) => s.status),
    ).toEqual(['failed', 'completed']);
    expect(done.error).toBeNull();
  });

  it('skips a failed step and carries on', async () => {
    service.script.push(500);
    const slug = await publish(
      t.app,
      callGraph('Skip me', {}, [node('done', 'response', { output: 'after' })], chain('start', 'call', 'done')),
    );
    const { body } = await start(t.app, slug, {}, 10_000);
    expect(body.status).toBe('failed');
    expect((await command(t.app, body.id, 'steps/call/skip')).status).toBe(200);
    const done = await until(t.app, body.id, ['completed']);
    expect(done.output).toBe('after');
  });
});

describe('commands and modes', () => {
  beforeEach(async () => {
    t = await startTestApp();
  });

  const approvalGraph = {
    name: 'Gate',
    nodes: [
      node('start', 'start'),
      node('gate', 'approval', { prompt: 'Go?' }),
      node('done', 'response', { output: 'went' }),
    ],
    edges: [edge('start', 'gate'), edge('gate', 'done', 'approved')],
  };

  it('refuses commands that do not apply, listing what is allowed', async () => {
    const slug = await publish(t.app, approvalGraph);
    const { body } = await start(t.app, slug);
    await until(t.app, body.id, ['waiting']);
    const resume = await command(t.app, body.id, 'resume');
    expect(resume.status).toBe(409);
    expect(resume.body.error.details.map((d: { message: string }) => d.message)).toEqual([
      'approve',
      'reject',
      'skip',
      'pause',
      'cancel',
    ]);
    expect((await command(t.app, body.id, 'steps/gate/retry')).status).toBe(409);

    await command(t.app, body.id, 'cancel');
    const cancelled = await getExecution(t.app, body.id);
    expect(cancelled.status).toBe('cancelled');
    for (const path of ['pause', 'resume', 'cancel', 'steps/gate/skip']) {
      const refused = await command(t.app, body.id, path);
      expect(refused.status, path).toBe(409);
      expect(refused.body.error.message, path).toContain('allowed now: nothing');
    }
    const approval = await command(t.app, body.id, 'approval', { decision: 'approve' });
    expect(approval.status).toBe(409);
  });

  it('starts with no body at all', async () => {
    const slug = await publish(t.app, {
      name: 'Bare',
      nodes: [node('start', 'start'), node('out', 'response', { output: 1 })],
      edges: chain('start', 'out'),
    });
    const response = await t.app.inject({ method: 'POST', url: `/api/v1/workflows/${slug}/executions?waitMs=5000` });
    expect(response.statusCode).toBe(200);
    expect(response.json().output).toBe(1);
  });

  it('answers 404 for unknown executions and 400 for bad command bodies', async () => {
    expect((await command(t.app, '00000000-0000-4000-8000-000000000000', 'pause')).status).toBe(404);
    expect((await command(t.app, 'not-a-uuid', 'pause')).status).toBe(404);
    const slug = await publish(t.app, approvalGraph);
    const { body } = await start(t.app, slug);
    const bad = await command(t.app, body.id, 'approval', { decision: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('body.decision');
  });

  it('pauses a waiting execution and resumes it back to waiting', async () => {
    const slug = await publish(t.app, approvalGraph);
    const { body } = await start(t.app, slug);
    await until(t.app, body.id, ['waiting']);
    expect((await command(t.app, body.id, 'pause')).body.status).toBe('paused');
    expect((await command(t.app, body.id, 'approval', { decision: 'approve' })).status).toBe(409);
    await command(t.app, body.id, 'resume');
    await until(t.app, body.id, ['waiting']);
    await command(t.app, body.id, 'approval', { decision: 'approve' });
    expect((await until(t.app, body.id, ['completed'])).output).toBe('went');
  });

  it('pauses only at pause points in hybrid mode', async () => {
    const slug = await publish(t.app, {
      name: 'Hybrid',
      nodes: [
        node('start', 'start'),
        node('a', 'function', { code: 'return 1' }),
        node('b', 'response', { output: 2 }),
      ],
      edges: chain('start', 'a', 'b'),
    });
    const { body } = await start(t.app, slug, { mode: 'hybrid', pausePoints: ['a'] });
    const paused = await until(t.app, body.id, ['paused']);
    expect(paused.steps.map((s: { nodeId: string }) => s.nodeId)).toEqual(['start', 'a']);
    await command(t.app, body.id, 'resume');
    expect((await until(t.app, body.id, ['completed'])).output).toBe(2);
    expect((await start(t.app, slug, { mode: 'hybrid', pausePoints: ['zzz'] })).status).toBe(422);
  });

  it('long-polls events: a waiting reader gets the next event as soon as it is committed', async () => {
    const slug = await publish(t.app, approvalGraph);
    const { body } = await start(t.app, slug);
    await until(t.app, body.id, ['waiting']);
    const last = (await t.app.inject({ method: 'GET', url: `/api/v1/executions/${body.id}/events` })).json().nextAfter;
    const poll = t.app.inject({
      method: 'GET',
      url: `/api/v1/executions/${body.id}/events?after=${last}&waitMs=10000`,
    });
    await new Promise((r) => setTimeout(r, 100));
    const asked = Date.now();
    await command(t.app, body.id, 'approval', { decision: 'approve' });
    const events = (await poll).json().items;
    expect(Date.now() - asked).toBeLessThan(3000);
    expect(events[0]).toMatchObject({ offset: last + 1, type: 'approval.decided', nodeId: 'gate' });
  });

  it('long-polls answer with exactly the events a plain read returns afterwards', async () => {
    const slug = await publish(t.app, approvalGraph);
    const { body } = await start(t.app, slug);
    await until(t.app, body.id, ['waiting']);
    const events = (after: number, waitMs = 0) =>
      t.app.inject({ method: 'GET', url: `/api/v1/executions/${body.id}/events?after=${after}&waitMs=${waitMs}` });
    const last = (await events(0)).json().nextAfter;
    const poll = events(last, 10_000);
    await new Promise((r) => setTimeout(r, 100));
    await command(t.app, body.id, 'approval', { decision: 'approve' });
    const polled = (await poll).json();
    await until(t.app, body.id, ['completed']);
    const read = (await events(last)).json();
    expect(polled.items.length).toBeGreaterThan(0);
    expect(read.items.slice(0, polled.items.length)).toEqual(polled.items);
    expect(polled.nextAfter).toBe(polled.items.at(-1).offset);
  });
});

describe('concurrency limit', () => {
  it('queues executions beyond MAX_CONCURRENT_EXECUTIONS and runs them in arrival order', async () => {
    t = await startTestApp({ MAX_CONCURRENT_EXECUTIONS: '1' });
    service.hold = [];
    const slug = await publish(t.app, callGraph('Queue'));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await start(t.app, slug)).body.id);
    await until(t.app, ids[0]!, ['running']);
    await new Promise((r) => setTimeout(r, 200));
    expect((await getExecution(t.app, ids[1]!)).status).toBe('queued');
    expect((await getExecution(t.app, ids[2]!)).status).toBe('queued');
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/^queue_depth 2$/m);
    expect(metrics).toMatch(/^executions_active 1$/m);
    const release = async () => {
      while (service.hold!.length === 0) await new Promise((r) => setTimeout(r, 10));
      service.hold!.shift()!();
    };
    for (let i = 0; i < 3; i++) await release();
    const done = await Promise.all(ids.map((id) => until(t.app, id, ['completed'])));
    const startedAt = done.map((e) => new Date(e.startedAt).getTime());
    expect([...startedAt].sort((a, b) => a - b)).toEqual(startedAt);
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).body).toMatch(
      /workflow_executions_total\{status="completed",mode="autonomous"\} 3/,
    );
  });
});
