import { runFunction, SandboxError } from '../../sandbox/quickjs.ts';
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
    const output = await runFunction(code, scope, {
      // The sandbox runs synchronously, so the step's own timeout must be enforced inside it.
      timeoutMs: Math.min(timeoutMs ?? Infinity, services.limits.functionTimeoutMs),
      memoryBytes: services.limits.functionMemoryBytes,
    });
    return { kind: 'completed', output };
  } catch (error) {
    // Only a thrown error may depend on the world (data, time); the other failures would just repeat.
    if (error instanceof SandboxError) throw new StepError(error.message, error.code, error.code === 'user_error');
    throw error;
  }
};
