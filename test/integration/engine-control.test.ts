import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { chain, command, edge, getExecution, node, publish, start, until } from '../support/workflows.ts';

/** A loopback service whose answers the tests script: a queue of status codes, then 200. */
let service: Server;
let url = '';
const script: number[] = [];
let hits = 0;
let hold: Array<() => void> | null = null;
beforeAll(async () => {
  service = createServer((req, res) => {
    hits++;
    const answer = () => {
      const status = script.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ hit: hits }));
    };
    if (hold) hold.push(answer);
    else answer();
  });
  await new Promise<void>((r) => service.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(service.address() as { port: number }).port}`;
});
afterAll(
  () =>
    new Promise<void>((r) => {
      service.closeAllConnections();
      service.close(() => r());
    }),
);

let t: TestApp;
beforeEach(async () => {
  script.length = 0;
  hits = 0;
  hold = null;
});
afterEach(async () => {
  await t?.close();
});

const callGraph = (name: string, config: object = {}, extra: object[] = [], edges = chain('start', 'call')) => ({
  name,
  nodes: [node('start', 'start'), node('call', 'http', { url, ...config }), ...extra],
  edges,
});

describe('retries and failures', () => {
  beforeEach(async () => {
    t = await startTestApp();
  });

  it('retries a 503 with backoff and succeeds on the third attempt', async () => {
    script.push(503, 503);
    const slug = await publish(
      t.app,
      callGraph('Flaky', { retry: { maxAttempts: 3, backoff: 'exponential', delayMs: 20 } }),
    );
    const { body } = await start(t.app, slug, {}, 10_000);
    expect(body.status).toBe('completed');
    const attempts = body.steps.filter((s: { nodeId: string }) => s.nodeId === 'call');
    expect(attempts.map((s: { attempt: number; status: string }) => `${s.attempt}:${s.status}`)).toEqual([
      '1:failed',
      '2:failed',
      '3:completed',
    ]);
    const events = (await t.app.inject({ method: 'GET', url: `/api/v1/executions/${body.id}/events` })).json().items;
    expect(
      events
        .filter((e: { type: string }) => e.type === 'step.retrying')
        .map((e: { data: { delayMs: number } }) => e.data.delayMs),
    ).toEqual([20, 40]);
  });

  it('applies the retry policy defaults: exponential backoff from 1000 ms', async () => {
    script.push(503);
    const slug = await publish(t.app, callGraph('Defaults', { retry: { maxAttempts: 2 } }));
    const { body } = await start(t.app, slug, {}, 10_000);
    expect(body.status).toBe('completed');
    const events = (await t.app.inject({ method: 'GET', url: `/api/v1/executions/${body.id}/events` })).json().items;
    expect(events.find((e: { type: string }) => e.type === 'step.retrying').data.delayMs).toBe(1000);
  });

  it('keeps credentials out of the stored step input', async () => {
    const slug = await publish(
      t.app,
      callGraph('Secret', { headers: { Authorization: 'Bearer {{ "s3cr3t-" & "token" }}', 'X-Trace': 'abc' } }),
    );
    const { body } = await start(t.app, slug, {}, 10_000);
    const call = body.steps.find((s: { nodeId: string }) => s.nodeId === 'call');
    expect(JSON.stringify(body)).not.toContain('s3cr3t-token');
    expect(call.input).toContainEqual({ Authorization: '[redacted]', 'X-Trace': 'abc' });
  });

  it('retries a failed loop step with fresh iterations', async () => {
    script.push(500);
    const slug = await publish(t.app, {
      name: 'Loop retry',
      nodes: [
        node('start', 'start'),
        node('each', 'loop', { items: '[1, 2]' }),
        node('call', 'http', { url }, { parentId: 'each' }),
        node('done', 'response', { output: '{{ $count(steps.each.output) }}' }),
      ],
      edges: chain('start', 'each', 'done'),
    });
    const { body } = await start(t.app, slug, {}, 10_000);
    expect(body.status).toBe('failed');
    expect(body.error.message).toContain('iteration');
    await command(t.app, body.id, 'steps/each/retry');
    expect((await until(t.app, body.id, ['completed', 'failed'])).output).toBe(2);
  });

  it("checks a subworkflow's input against its schema", async () => {
    await publish(t.app, {
      name: 'Needs n',
      inputs: { type: 'object', required: ['n'], properties: { n: { type: 'number' } } },
      nodes: [node('start', 'start'), node('out', 'response', { output: '{{ input.n }}' })],
      edges: chain('start', 'out'),
    });
    const slug = await publish(t.app, {
      name: 'Caller',
      nodes: [node('start', 'start'), node('sub', 'subworkflow', { workflowId: 'needs-n', input: { n: 'seven' } })],
      edges: chain('start', 'sub'),
    });
    const { body } = await start(t.app, slug, {}, 10_000);
    expect(body.status).toBe('failed');
    expect(body.error.message).toContain('n must be a number');
  });

  it('does not retry a 404 and fails the execution, naming the step', async () => {
    script.push(404);
    const slug = await publish(t.app, callGraph('Missing', { retry: { maxAttempts: 3, delayMs: 1 } }));
    const { body } = await start(t.app, slug, {}, 10_000);
    expect(body.status).toBe('failed');
    expect(body.error).toMatchObject({ code: 'step_failed', nodeId: 'call' });
    expect(body.error.message).toContain('answered 404');
    expect(hits).toBe(1);
  });

  it('caps retries at MAX_RETRY_ATTEMPTS', async () => {
    await t.close();
    t = await startTestApp({ MAX_RETRY_ATTEMPTS: '2' });
    script.push(503, 503, 503);
    const slug = await publish(t.app, callGraph('Capped', { retry: { maxAttempts: 2, delayMs: 1 } }));
    const { body } = await start(t.app, slug, {}, 10_000);
    expect(body.status).toBe('failed');
    expect(hits).toBe(2);
  });

  it('retries a failed step on command and finishes', async () => {
    script.push(500);
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
    script.push(500);
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

  it('routes a final failure along the error edge', async () => {
    script.push(500);
    const slug = await publish(
      t.app,
      callGraph(
        'Caught',
        {},
        [
          node('ok', 'response', { output: 'fine' }),
          node('oops', 'response', { output: '{{ "handled: " & $string(steps.call.status) }}' }),
        ],
        [edge('start', 'call'), edge('call', 'ok'), edge('call', 'oops', 'error')],
      ),
    );
    const { body } = await start(t.app, slug, {}, 10_000);
    expect(body.status).toBe('completed');
    expect(body.output).toBe('handled: failed');
  });

  it('fails a step whose output is over MAX_STEP_OUTPUT_BYTES with a clear error', async () => {
    await t.close();
    t = await startTestApp({ MAX_STEP_OUTPUT_BYTES: '2048' });
    const slug = await publish(t.app, {
      name: 'Big',
      nodes: [node('start', 'start'), node('big', 'function', { code: 'return "x".repeat(5000)' })],
      edges: chain('start', 'big'),
    });
    const { body } = await start(t.app, slug, {}, 10_000);
    expect(body.status).toBe('failed');
    expect(body.error.step.code).toBe('output_too_large');
    expect(body.error.message).toContain('MAX_STEP_OUTPUT_BYTES');
  });

  it('times out a slow step per its timeoutMs', async () => {
    hold = [];
    const slug = await publish(t.app, callGraph('Slow', { timeoutMs: 200 }));
    const { body } = await start(t.app, slug, {}, 10_000);
    expect(body.status).toBe('failed');
    expect(body.error.step.code).toBe('timeout');
    hold.forEach((answer) => answer());
  });

  it('times out the whole execution at settings.timeoutMs', async () => {
    hold = [];
    const slug = await publish(t.app, { ...callGraph('Too long'), settings: { mode: 'autonomous', timeoutMs: 300 } });
    const { body } = await start(t.app, slug, {}, 10_000);
    expect(body.status).toBe('timed_out');
    expect(body.error.message).toContain('ran longer than 300 ms');
    hold.forEach((answer) => answer());
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

  it('pauses after every step in step-by-step mode', async () => {
    const slug = await publish(t.app, {
      name: 'Steps',
      nodes: [
        node('start', 'start'),
        node('a', 'function', { code: 'return 1' }),
        node('b', 'response', { output: 2 }),
      ],
      edges: chain('start', 'a', 'b'),
    });
    const { body } = await start(t.app, slug, { mode: 'step-by-step' });
    const seen: string[] = [];
    for (let i = 0; i < 2; i++) {
      const paused = await until(t.app, body.id, ['paused']);
      seen.push(
        paused.steps
          .filter((s: { status: string }) => s.status === 'completed')
          .map((s: { nodeId: string }) => s.nodeId)
          .join(','),
      );
      await command(t.app, body.id, 'resume');
    }
    expect(seen).toEqual(['start', 'start,a']);
    // Nothing is left after the last step, so it completes instead of pausing.
    expect((await until(t.app, body.id, ['completed'])).output).toBe(2);
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
  it('starts the clock of a queued execution that was paused and resumed', async () => {
    t = await startTestApp({ MAX_CONCURRENT_EXECUTIONS: '1' });
    hold = [];
    const slug = await publish(t.app, callGraph('Blocker'));
    const first = (await start(t.app, slug)).body.id;
    await until(t.app, first, ['running']);
    const second = (await start(t.app, slug)).body.id;
    expect((await command(t.app, second, 'pause')).body.status).toBe('paused');
    await command(t.app, second, 'resume');
    while (hold.length < 1) await new Promise((r) => setTimeout(r, 10));
    hold.shift()!();
    while (hold.length < 1) await new Promise((r) => setTimeout(r, 10));
    hold.shift()!();
    const done = await until(t.app, second, ['completed']);
    expect(done.startedAt).not.toBeNull();
    const types = (await t.app.inject({ method: 'GET', url: `/api/v1/executions/${second}/events` }))
      .json()
      .items.map((e: { type: string }) => e.type);
    expect(types.slice(0, 4)).toEqual([
      'execution.queued',
      'execution.paused',
      'execution.resumed',
      'execution.started',
    ]);
  });

  it('queues executions beyond MAX_CONCURRENT_EXECUTIONS and runs them in arrival order', async () => {
    t = await startTestApp({ MAX_CONCURRENT_EXECUTIONS: '1' });
    hold = [];
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
      while (hold!.length === 0) await new Promise((r) => setTimeout(r, 10));
      hold!.shift()!();
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
