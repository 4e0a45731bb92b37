import { describe, it, expect } from 'vitest';
import { runFunction, SandboxError, type SandboxLimits } from '../../../src/sandbox/quickjs.ts';

const MiB = 1024 * 1024;
const limits: SandboxLimits = { timeoutMs: 2000, memoryBytes: 32 * MiB };
const scope = {
  input: { amount: 21, name: 'Ada' },
  steps: { fetch: { output: { items: [1, 2, 3] } } },
  vars: { rate: 0.5 },
  execution: { id: 'exec-1' },
};

function run(code: string, overrides: Partial<SandboxLimits> = {}): Promise<unknown> {
  return runFunction(code, scope, { ...limits, ...overrides });
}

async function failure(code: string, overrides: Partial<SandboxLimits> = {}): Promise<SandboxError> {
  const error = await run(code, overrides).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SandboxError);
  return error as SandboxError;
}

describe('sandbox: results', () => {
  it('returns every JSON type', async () => {
    expect(await run('return 42')).toBe(42);
    expect(await run('return "text"')).toBe('text');
    expect(await run('return true')).toBe(true);
    expect(await run('return null')).toBeNull();
    expect(await run('return [1, "a", false]')).toEqual([1, 'a', false]);
    expect(await run('return { a: { b: [null] } }')).toEqual({ a: { b: [null] } });
  });

  it('turns undefined, functions and symbols into null or nothing, as JSON does', async () => {
    expect(await run('')).toBeNull();
    expect(await run('return undefined')).toBeNull();
    expect(await run('return () => 1')).toBeNull();
    expect(await run('return { f() {}, s: Symbol("x"), keep: 1 }')).toEqual({ keep: 1 });
    expect(await run('return [undefined, () => 1]')).toEqual([null, null]);
  });

  it('sees input, steps, vars and execution', async () => {
    const code =
      'return { total: input.amount * 2, who: input.name, count: steps.fetch.output.items.length, rate: vars.rate, id: execution.id }';
    expect(await run(code)).toEqual({ total: 42, who: 'Ada', count: 3, rate: 0.5, id: 'exec-1' });
  });

  it('gets copies: changing the input inside does not change the caller', async () => {
    await run('input.amount = 0; steps.fetch = null');
    expect(scope.input.amount).toBe(21);
    expect(scope.steps.fetch).not.toBeNull();
  });

  it('supports await and async helpers', async () => {
    expect(await run('const x = await Promise.resolve(1); return x + await new Promise((r) => r(2))')).toBe(3);
    expect(
      await run('async function twice(n) { await null; return n * 2 }; return Promise.all([twice(1), twice(2)])'),
    ).toEqual([2, 4]);
  });

  it('returns as soon as the result settles, even with work left in the background', async () => {
    expect(await run('(async () => { while (true) await null })(); return 7')).toBe(7);
  });
});

describe('sandbox: user errors', () => {
  it('surfaces a thrown error with its line', async () => {
    const error = await failure('const a = 1;\nthrow new Error("boom")');
    expect(error.code).toBe('user_error');
    expect(error.message).toBe('Error: boom (line 2)');
  });

  it('reports a rejected await the same way', async () => {
    const error = await failure('await Promise.reject(new TypeError("nope"))');
    expect(error.code).toBe('user_error');
    expect(error.message).toContain('TypeError: nope');
  });

  it('reports thrown non-errors', async () => {
    expect((await failure('throw "plain"')).message).toBe('plain');
    expect((await failure('throw { code: 7 }')).message).toBe('{"code":7} was thrown');
  });

  it('reports a ReferenceError with its line', async () => {
    const error = await failure('\n\nreturn missing + 1');
    expect(error.code).toBe('user_error');
    expect(error.message).toMatch(/ReferenceError: 'missing' is not defined \(line 3\)/);
  });

  it('reports a syntax error as such, before running anything', async () => {
    const error = await failure('return (1 +');
    expect(error.code).toBe('syntax_error');
    expect(error.message).toMatch(/^SyntaxError: .* \(line 1\)$/);
  });

  it('reports a result that is not JSON', async () => {
    expect((await failure('return 10n')).message).toContain('BigInt');
    expect((await failure('const a = {}; a.self = a; return a')).message).toContain('circular');
  });

  it('reports a promise that can never settle', async () => {
    const error = await failure('await new Promise(() => {})');
    expect(error.code).toBe('user_error');
    expect(error.message).toContain('never finished');
  });
});

describe('sandbox: limits', () => {
  it('stops an infinite loop at the time limit', async () => {
    const started = Date.now();
    const error = await failure('while (true) {}', { timeoutMs: 300 });
    expect(error.code).toBe('timeout');
    expect(error.message).toBe('Function ran longer than 300 ms');
    expect(Date.now() - started).toBeLessThan(300 + 2000);
  });

  it('stops an endless chain of awaits at the time limit', async () => {
    const error = await failure('while (true) await null', { timeoutMs: 300 });
    expect(error.code).toBe('timeout');
  });

  it('cannot catch the timeout', async () => {
    const error = await failure('try { while (true) {} } catch { return "escaped" }', { timeoutMs: 200 });
    expect(error.code).toBe('timeout');
  });

  it('stops a memory bomb at the memory limit', async () => {
    const error = await failure("const a = []; while (true) a.push('x'.repeat(1e6))", {
      memoryBytes: 8 * MiB,
      timeoutMs: 20_000,
    });
    expect(error.code).toBe('memory');
    expect(error.message).toBe('Function exceeded the memory limit of 8 MiB');
  });

  it('stops a bomb of many small objects', async () => {
    const error = await failure('const a = []; while (true) a.push({ n: a.length, s: "v" + a.length })', {
      memoryBytes: 8 * MiB,
      timeoutMs: 20_000,
    });
    expect(error.code).toBe('memory');
  });

  it('stops unbounded recursion', async () => {
    const error = await failure('function f(n) { return f(n + 1) + 1 }; return f(0)');
    expect(error.code).toBe('memory');
    expect(error.message).toContain('stack');
  });

  it('survives nesting deep enough to exhaust the host stack', async () => {
    const error = await failure("return JSON.parse('['.repeat(200000))");
    expect(error.code).toBe('memory');
    expect(await run('return input.amount')).toBe(21);
  });

  it('keeps working after timeouts and memory failures', async () => {
    await failure('while (true) {}', { timeoutMs: 100 });
    await failure("const a = []; while (true) a.push('x'.repeat(1e6))", { memoryBytes: 8 * MiB, timeoutMs: 20_000 });
    expect(await run('return input.amount + 1', { memoryBytes: 8 * MiB })).toBe(22);
    expect(await run('return input.amount + 2')).toBe(23);
  });

  it('caps the size of the output', async () => {
    const error = await failure("return 'é'.repeat(600)", { maxOutputBytes: 1000 });
    expect(error.code).toBe('output_too_large');
    expect(error.message).toBe('Function output is 1202 bytes of JSON, over the limit of 1000 bytes');
    expect(await run("return 'é'.repeat(400)", { maxOutputBytes: 1000 })).toHaveLength(400);
  });
});

describe('sandbox: isolation', () => {
  it('has no network, file system, process or timers', async () => {
    const code =
      'return [typeof fetch, typeof require, typeof process, typeof setTimeout, typeof XMLHttpRequest, typeof std, typeof os]';
    expect(await run(code)).toEqual(Array(7).fill('undefined'));
  });

  it('cannot import modules', async () => {
    expect((await failure("await import('node:fs')")).code).toBe('user_error');
    expect((await failure('return import.meta')).code).toBe('syntax_error');
  });

  it('offers a console that does nothing', async () => {
    expect(await run('console.log("hi", input); return 1')).toBe(1);
  });

  it('starts every run from a clean global scope', async () => {
    await run('globalThis.leak = 1; Array.prototype.evil = true');
    expect(await run('return [typeof leak, [].evil]')).toEqual(['undefined', null]);
  });

  it('is unaffected by code that replaces JSON inside the VM', async () => {
    expect(await run('JSON.stringify = () => "{"; return { ok: true }')).toEqual({ ok: true });
  });

  it('does not grow the host heap over 200 runs', async () => {
    await run('return 1');
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 200; i++) {
      expect(await run('return { i: input.amount, list: Array.from({ length: 100 }, (_, n) => n) }')).toMatchObject({
        i: 21,
      });
    }
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(50 * MiB);
  });
});
