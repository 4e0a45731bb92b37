import { describe, it, expect } from 'vitest';
import { runFunctionBlock } from '../../../src/engine/blocks/function.ts';
import { StepError, type StepContext } from '../../../src/engine/blocks/types.ts';
import type { TemplateContext } from '../../../src/graph/templates.ts';
import { stepContext } from '../../support/step-context.ts';

const MiB = 1024 * 1024;

function context(
  config: Record<string, unknown>,
  options: { signal?: AbortSignal; template?: TemplateContext } = {},
): StepContext {
  return stepContext({
    node: { id: 'calc', type: 'function', name: 'Calculate' },
    config,
    template: options.template ?? {
      input: { amount: 40 },
      steps: { lookup: { output: { rate: 0.25 } } },
      vars: { item: 'x' },
      execution: { id: 'exec-1' },
    },
    signal: options.signal,
    limits: { functionTimeoutMs: 300, functionMemoryBytes: 16 * MiB },
  });
}

async function failure(ctx: StepContext): Promise<StepError> {
  const error = await runFunctionBlock(ctx).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StepError);
  return error as StepError;
}

describe('function block', () => {
  it('completes with the JSON the code returns, computed from input, steps, vars and execution', async () => {
    const code =
      'await null;\nreturn { fee: input.amount * steps.lookup.output.rate, item: vars.item, run: execution.id }';
    expect(await runFunctionBlock(context({ code }))).toEqual({
      kind: 'completed',
      output: { fee: 10, item: 'x', run: 'exec-1' },
    });
  });

  it('gives empty vars and execution when the template has none', async () => {
    const ctx = context({ code: 'return [vars, execution, input]' }, { template: { input: 1, steps: {} } });
    expect(await runFunctionBlock(ctx)).toEqual({ kind: 'completed', output: [{}, {}, 1] });
  });

  it('completes with null when the code returns nothing', async () => {
    expect(await runFunctionBlock(context({ code: 'const x = 1' }))).toEqual({ kind: 'completed', output: null });
  });

  it('fails with a retryable user_error when the code throws', async () => {
    const error = await failure(context({ code: 'throw new Error("card declined")' }));
    expect(error).toMatchObject({ code: 'user_error', retryable: true, message: 'Error: card declined (line 1)' });
  });

  it('fails for good on a syntax error', async () => {
    const error = await failure(context({ code: 'return {' }));
    expect(error).toMatchObject({ code: 'syntax_error', retryable: false });
  });

  it('fails for good when the code runs past the time limit', async () => {
    const error = await failure(context({ code: 'while (true) {}' }));
    expect(error).toMatchObject({ code: 'timeout', retryable: false, message: 'Function ran longer than 300 ms' });
  });

  it('fails for good when the code exceeds the memory limit', async () => {
    const ctx = context({ code: "const a = []; while (true) a.push('x'.repeat(1e6))" });
    ctx.services.limits.functionTimeoutMs = 20_000;
    const error = await failure(ctx);
    expect(error).toMatchObject({
      code: 'memory',
      retryable: false,
      message: 'Function exceeded the memory limit of 16 MiB',
    });
  });

  it('rejects a config without code', async () => {
    const error = await failure(context({}));
    expect(error).toMatchObject({ code: 'invalid_config', retryable: false });
  });

  it('does not start when the step is already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await failure(context({ code: 'return 1' }, { signal: controller.signal }));
    expect(error).toMatchObject({ code: 'cancelled', retryable: false, message: 'cancelled' });
  });
});
