import { SandboxError, TRANSIENT_SANDBOX_ERRORS } from '../../sandbox/errors.ts';
import { configOf } from './config.ts';
import { StepError, type BlockRunner } from './types.ts';

/** Runs the node's JavaScript in the sandbox; its JSON result is the step's output. */
export const runFunctionBlock: BlockRunner = async (ctx) => {
  if (ctx.signal.aborted) throw new StepError('cancelled', 'cancelled', false);
  const { code, timeoutMs } = configOf(ctx, 'function');
  const { template, services } = ctx;
  const scope = {
    input: template.input,
    steps: template.steps,
    vars: template.vars ?? {},
    execution: template.execution ?? {},
  };
  try {
    const limits = {
      // The sandbox runs synchronously in its worker, so the step's own timeout must be enforced inside it.
      timeoutMs: Math.min(timeoutMs ?? Infinity, services.limits.functionTimeoutMs),
      memoryBytes: services.limits.functionMemoryBytes,
    };
    const output = await services.functions.run(code, scope, limits, ctx.signal);
    return { kind: 'completed', output };
  } catch (error) {
    // Only a thrown error or a sandbox in trouble may not repeat; the other failures depend on the code alone.
    if (error instanceof SandboxError)
      throw new StepError(error.message, error.code, TRANSIENT_SANDBOX_ERRORS.has(error.code));
    throw error;
  }
};
