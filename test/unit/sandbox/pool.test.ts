import { afterAll, describe, expect, it } from 'vitest';
import { FunctionPool } from '../../../src/sandbox/pool.ts';
import { SandboxError, type SandboxLimits } from '../../../src/sandbox/quickjs.ts';

const MiB = 1024 * 1024;
const LIMITS: SandboxLimits = { timeoutMs: 1000, memoryBytes: 16 * MiB };
/** One builtin call on an 8-million-character string: QuickJS checks its deadline only after it, seconds later. */
const OVERRUNS_ITS_DEADLINE = "const s = 'ab'.repeat(1 << 22); s.split('').reverse().join('')";

const pools: FunctionPool[] = [];
function pool(size: number, options: { maxQueued?: number; graceMs?: number } = {}): FunctionPool {
  const created = new FunctionPool({ size, ...options });
  pools.push(created);
  return created;
}
afterAll(() => Promise.all(pools.map((p) => p.close())));

async function failure(promise: Promise<unknown>): Promise<SandboxError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SandboxError);
  return error as SandboxError;
}

describe('function pool', () => {
  const shared = pool(2);

  it('runs functions on worker threads, two at once, and returns their JSON results', async () => {
    const sums = [1, 2].map((a) => shared.run('return { sum: input.a + input.b }', { input: { a, b: 2 } }, LIMITS));
    expect(await Promise.all(sums)).toEqual([{ sum: 3 }, { sum: 4 }]);
  });

  it('keeps the time, memory and output limits, with the same errors as in-thread', async () => {
    const timeout = await failure(shared.run('while (true) {}', {}, { ...LIMITS, timeoutMs: 200 }));
    expect(timeout).toMatchObject({ code: 'timeout', message: 'Function ran longer than 200 ms' });
    const memory = await failure(
      shared.run("const a = []; while (true) a.push('x'.repeat(1e6))", {}, { timeoutMs: 20_000, memoryBytes: 8 * MiB }),
    );
    expect(memory).toMatchObject({ code: 'memory', message: 'Function exceeded the memory limit of 8 MiB' });
    const output = await failure(shared.run("return 'x'.repeat(100)", {}, { ...LIMITS, maxOutputBytes: 50 }));
    expect(output).toMatchObject({
      code: 'output_too_large',
      message: 'Function output is 102 bytes of JSON, over the limit of 50 bytes',
    });
  });

  it('answers other calls and keeps the event loop free while one call spins', async () => {
    let spinEnded = false;
    const spinning = failure(shared.run('while (true) {}', {}, { ...LIMITS, timeoutMs: 3000 })).finally(() => {
      spinEnded = true;
    });
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    for (let i = 0; i < 5; i++) expect(await shared.run('return input * 2', { input: i }, LIMITS)).toBe(i * 2);
    expect(spinEnded).toBe(false);
    expect(await spinning).toMatchObject({ code: 'timeout' });
    clearInterval(ticker);
    // While the function spun for 3 s on one worker, the main thread went on ticking.
    expect(ticks).toBeGreaterThan(50);
  });

  it('gives every call a fresh global: nothing one call leaves behind is seen by the next', async () => {
    const single = pool(1);
    expect(await single.run('globalThis.x = 1; Object.prototype.leak = "y"; return x', {}, LIMITS)).toBe(1);
    expect(await single.run('return [typeof globalThis.x, ({}).leak ?? null]', {}, LIMITS)).toEqual([
      'undefined',
      null,
    ]);
  });

  it('terminates and replaces a worker that overruns its deadline, failing only that call', async () => {
    const single = pool(1, { graceMs: 300 });
    const started = Date.now();
    const error = await failure(single.run(OVERRUNS_ITS_DEADLINE, {}, { timeoutMs: 50, memoryBytes: 256 * MiB }));
    expect(error).toMatchObject({ code: 'timeout', message: 'Function ran longer than 50 ms' });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await single.run('return "still here"', {}, LIMITS)).toBe('still here');
  });

  it('lets calls wait for a free worker up to a bound, and drops a waiting call whose signal aborts', async () => {
    const single = pool(1, { maxQueued: 2 });
    await single.run('return "ready"', {}, LIMITS);
    const spinning = failure(single.run('while (true) {}', {}, { ...LIMITS, timeoutMs: 1500 }));
    const abort = new AbortController();
    const dropped = single.run('return "dropped"', {}, LIMITS, abort.signal).catch((e: unknown) => e);
    const waiting = single.run('return "waited"', {}, LIMITS);
    const busy = await failure(single.run('return "refused"', {}, LIMITS));
    expect(busy).toMatchObject({ code: 'sandbox_busy' });
    abort.abort(new Error('step cancelled'));
    expect(await dropped).toMatchObject({ message: 'step cancelled' });
    expect(await waiting).toBe('waited');
    expect(await spinning).toMatchObject({ code: 'timeout' });
  });

  it('fails the calls still running when it closes, and refuses new ones', async () => {
    const closing = pool(1);
    await closing.run('return "ready"', {}, LIMITS);
    const running = closing.run('while (true) {}', {}, { ...LIMITS, timeoutMs: 5000 }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await closing.close();
    expect(await running).toMatchObject({ message: 'the function sandbox was closed' });
    await expect(closing.run('return 1', {}, LIMITS)).rejects.toThrow('the function sandbox is closed');
  });
});
