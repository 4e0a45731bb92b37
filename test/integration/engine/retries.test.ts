import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEngineHarness, type EngineHarness } from '../../support/engine-harness.ts';
import { useScriptedService } from '../../support/scripted-service.ts';
import { chain, edge, node } from '../../support/workflows.ts';

const service = useScriptedService();

let h: EngineHarness;
beforeEach(async () => {
  h = await startEngineHarness();
});
/** For a test that needs other settings than the defaults. */
async function restartWith(env: Record<string, string>): Promise<void> {
  await h.close();
  h = await startEngineHarness({ env });
}
afterEach(async () => {
  service.hold?.forEach((answer) => answer());
  await h.close();
});

const callGraph = service.callGraph.bind(service);
const messageOf = (error: unknown) => (error as { message: string }).message;
const retryDelays = async (id: string) =>
  (await h.events(id)).filter((e) => e.type === 'step.retrying').map((e) => (e.data as { delayMs: number }).delayMs);

describe('retries and failures', () => {
  it('retries a 503 with backoff and succeeds on the third attempt', async () => {
    service.script.push(503, 503);
    const slug = await h.publish(
      callGraph('Flaky', { retry: { maxAttempts: 3, backoff: 'exponential', delayMs: 20 } }),
    );
    const { id } = await h.start(slug);
    await h.clock.whenDue(20);
    await h.advance(20);
    await h.clock.whenDue(40);
    await h.advance(40);
    const done = await h.waitFor(id, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    const attempts = done.steps.filter((s) => s.nodeId === 'call');
    expect(attempts.map((s) => `${s.attempt}:${s.status}`)).toEqual(['1:failed', '2:failed', '3:completed']);
    expect(await retryDelays(id)).toEqual([20, 40]);
  });

  it('keeps the backoff across a crash: after a restart the retry waits what is left of its delay, not zero', async () => {
    service.script.push(503);
    const slug = await h.publish(
      callGraph('Slow retry', { retry: { maxAttempts: 2, backoff: 'fixed', delayMs: 60_000 } }),
    );
    const { id } = await h.start(slug);
    await h.clock.whenDue(60_000);
    // The process dies 20 s into the minute; the next one starts and recovers.
    await h.restart(20_000);
    await h.clock.whenDue(40_000);
    await h.advance(39_000);
    const early = await h.get(id);
    expect(early.status).toBe('running');
    expect(early.steps.filter((s) => s.nodeId === 'call').map((s) => `${s.attempt}:${s.status}`)).toEqual(['1:failed']);
    await h.advance(1_000);
    const done = await h.waitFor(id, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    expect(done.steps.filter((s) => s.nodeId === 'call').map((s) => `${s.attempt}:${s.status}`)).toEqual([
      '1:failed',
      '2:completed',
    ]);
  });

  it('applies the retry policy defaults: exponential backoff from 1000 ms', async () => {
    service.script.push(503);
    const slug = await h.publish(callGraph('Defaults', { retry: { maxAttempts: 2 } }));
    const { id } = await h.start(slug);
    await h.clock.whenDue(1000);
    await h.advance(1000);
    expect((await h.waitFor(id, ['completed', 'failed'])).status).toBe('completed');
    expect(await retryDelays(id)).toEqual([1000]);
  });

  it('keeps credentials out of the stored step input', async () => {
    const slug = await h.publish(
      callGraph('Secret', { headers: { Authorization: 'Bearer {{ "s3cr3t-" & "token" }}', 'X-Trace': 'abc' } }),
    );
    const done = await h.run(slug);
    const call = done.steps.find((s) => s.nodeId === 'call')!;
    expect(JSON.stringify(done)).not.toContain('s3cr3t-token');
    expect(call.input).toContainEqual({ Authorization: '[redacted]', 'X-Trace': 'abc' });
  });

  it('retries a failed loop step with fresh iterations', async () => {
    service.script.push(500);
    const slug = await h.publish({
      name: 'Loop retry',
      nodes: [
        node('start', 'start'),
        node('each', 'loop', { items: '[1, 2]' }),
        node('call', 'http', { url: service.url }, { parentId: 'each' }),
        node('done', 'response', { output: '{{ $count(steps.each.output) }}' }),
      ],
      edges: chain('start', 'each', 'done'),
    });
    const failed = await h.run(slug);
    expect(failed.status).toBe('failed');
    expect(messageOf(failed.error)).toContain('iteration');
    await h.command(failed.id, 'retry', { nodeId: 'each' });
    expect((await h.waitFor(failed.id, ['completed', 'failed'])).output).toBe(2);
  });

  it("checks a subworkflow's input against its schema", async () => {
    await h.publish({
      name: 'Needs n',
      inputs: { type: 'object', required: ['n'], properties: { n: { type: 'number' } } },
      nodes: [node('start', 'start'), node('out', 'response', { output: '{{ input.n }}' })],
      edges: chain('start', 'out'),
    });
    const slug = await h.publish({
      name: 'Caller',
      nodes: [node('start', 'start'), node('sub', 'subworkflow', { workflowId: 'needs-n', input: { n: 'seven' } })],
      edges: chain('start', 'sub'),
    });
    const done = await h.run(slug);
    expect(done.status).toBe('failed');
    expect(messageOf(done.error)).toContain('n must be a number');
  });

  it('does not retry a 404 and fails the execution, naming the step', async () => {
    service.script.push(404);
    const slug = await h.publish(callGraph('Missing', { retry: { maxAttempts: 3, delayMs: 1 } }));
    const done = await h.run(slug);
    expect(done.status).toBe('failed');
    expect(done.error).toMatchObject({ code: 'step_failed', nodeId: 'call' });
    expect(messageOf(done.error)).toContain('answered 404');
    expect(service.hits).toBe(1);
  });

  it('caps retries at MAX_RETRY_ATTEMPTS', async () => {
    await restartWith({ MAX_RETRY_ATTEMPTS: '2' });
    service.script.push(503, 503, 503);
    const slug = await h.publish(callGraph('Capped', { retry: { maxAttempts: 2, delayMs: 1 } }));
    const { id } = await h.start(slug);
    await h.clock.whenDue(1);
    await h.advance(1);
    expect((await h.waitFor(id, ['completed', 'failed'])).status).toBe('failed');
    expect(service.hits).toBe(2);
  });

  it('routes a final failure along the error edge', async () => {
    service.script.push(500);
    const slug = await h.publish(
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
    const done = await h.run(slug);
    expect(done.status).toBe('completed');
    expect(done.output).toBe('handled: failed');
  });

  it('fails a step whose output is over MAX_STEP_OUTPUT_BYTES with a clear error', async () => {
    await restartWith({ MAX_STEP_OUTPUT_BYTES: '2048' });
    const slug = await h.publish({
      name: 'Big',
      nodes: [node('start', 'start'), node('big', 'function', { code: 'return "x".repeat(5000)' })],
      edges: chain('start', 'big'),
    });
    const done = await h.run(slug);
    expect(done.status).toBe('failed');
    expect(done.error).toMatchObject({ step: { code: 'output_too_large' } });
    expect(messageOf(done.error)).toContain('MAX_STEP_OUTPUT_BYTES');
  });

  it('times out a slow step per its timeoutMs', async () => {
    service.hold = [];
    const slug = await h.publish(callGraph('Slow', { timeoutMs: 200 }));
    const { id } = await h.start(slug);
    await h.clock.whenDue(200);
    await h.advance(200);
    const done = await h.waitFor(id, ['completed', 'failed']);
    expect(done.status).toBe('failed');
    expect(done.error).toMatchObject({ step: { code: 'timeout' } });
  });

  it('times out the whole execution at settings.timeoutMs', async () => {
    service.hold = [];
    const slug = await h.publish({ ...callGraph('Too long'), settings: { mode: 'autonomous', timeoutMs: 300 } });
    const { id } = await h.start(slug);
    await h.clock.whenDue(301);
    await h.advance(301);
    const done = await h.waitFor(id, ['completed', 'failed', 'timed_out']);
    expect(done.status).toBe('timed_out');
    expect(messageOf(done.error)).toContain('ran longer than 300 ms');
  });
});
