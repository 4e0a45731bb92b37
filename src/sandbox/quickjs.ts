import {
  Scope,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSWASMModule,
  type SuccessOrFail,
} from 'quickjs-emscripten';
import { SandboxError } from './errors.ts';
import { discardQuickJS, quickjsFor } from './module.ts';

export { SandboxError, type SandboxErrorCode } from './errors.ts';

export interface SandboxLimits {
  timeoutMs: number;
  /** Heap the function may use on top of the ~10 MiB QuickJS starts with (see module.ts). */
  memoryBytes: number;
  /** Cap on the result's JSON, in UTF-8 bytes. */
  maxOutputBytes?: number;
}

const FILE_NAME = 'function.js';
const STACK_LINE = /function\.js:(\d+)/;
/** Found by trial: recursion fails inside QuickJS well before the host stack does; deeply nested parsing
 * (JSON, code) can still exhaust the host stack first, which runFunction recovers from. */
const STACK_BYTES = 256 * 1024;
const MAX_MESSAGE_CHARS = 1000;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** `console.log` from copied snippets should not fail; nothing is recorded. */
const PRELUDE = 'globalThis.console = { log() {}, info() {}, warn() {}, error() {}, debug() {} };';

/**
 * Runs `code`, the body of an async function whose parameters are the keys of `scope`, in a fresh
 * QuickJS runtime and context with no I/O at all, and returns its JSON result (`undefined` becomes null). Values
 * cross the boundary only as JSON text. Throws a `SandboxError` for anything the function did.
 *
 * Execution is synchronous on the calling thread, up to `timeoutMs`: the engine calls it through a
 * `FunctionPool` (pool.ts), whose worker threads keep it off the event loop. QuickJS checks the deadline every
 * few thousand operations, so a loop of very slow built-in calls (e.g. repeating megabyte strings) can overrun it.
 */
export async function runFunction(
  code: string,
  scope: Record<string, unknown>,
  limits: SandboxLimits,
): Promise<unknown> {
  const { names, scopeJson } = functionArguments(scope);
  return JSON.parse(await runFunctionJson(code, names, scopeJson, limits));
}

/** The parameter names and their values as JSON text; names that could not be parameters are refused. */
export function functionArguments(scope: Record<string, unknown>): { names: string[]; scopeJson: string } {
  const names = Object.keys(scope);
  const bad = names.find((name) => !IDENTIFIER.test(name));
  if (bad !== undefined) throw new TypeError(`scope name ${JSON.stringify(bad)} is not an identifier`);
  return { names, scopeJson: JSON.stringify(scope) };
}

/** `runFunction` with its arguments and result as JSON text, as they cross to and from a worker thread. */
export async function runFunctionJson(
  code: string,
  names: string[],
  scopeJson: string,
  limits: SandboxLimits,
): Promise<string> {
  const quickjs = await quickjsFor(limits.memoryBytes);
  try {
    return run(quickjs, code, names, scopeJson, limits);
  } catch (error) {
    if (error instanceof SandboxError) throw error;
    // The host stack overflowed inside the VM (or the VM aborted): its instance is no longer trustworthy.
    discardQuickJS();
    if (error instanceof RangeError)
      throw new SandboxError('memory', 'Function nested too deeply and ran out of stack space');
    throw error;
  }
}

function run(
  quickjs: QuickJSWASMModule,
  code: string,
  names: string[],
  scopeJson: string,
  limits: SandboxLimits,
): string {
  const deadline = Date.now() + limits.timeoutMs;
  let timedOut = false;
  const owned = new Scope();
  let healthy = true;
  try {
    const runtime = owned.manage(
      quickjs.newRuntime({
        memoryLimitBytes: limits.memoryBytes, // only bounds single allocations here; module.ts caps the total
        maxStackSizeBytes: STACK_BYTES,
        interruptHandler: () => (timedOut ||= Date.now() > deadline),
      }),
    );
    const context = owned.manage(runtime.newContext());
    const fail = (error: QuickJSHandle) => failure(context, owned.manage(error), timedOut, limits, code);
    const unwrap = (result: SuccessOrFail<QuickJSHandle, QuickJSHandle>) => {
      if (result.error) throw fail(result.error);
      return owned.manage(result.value);
    };

    // Taken before user code runs, so that replacing JSON inside the VM cannot change the marshalling.
    const json = owned.manage(context.getProp(context.global, 'JSON'));
    const parse = owned.manage(context.getProp(json, 'parse'));
    const stringify = owned.manage(context.getProp(json, 'stringify'));
    unwrap(context.evalCode(PRELUDE));

    const fn = unwrap(context.evalCode(`(async function (${names.join(', ')}) {\n${code}\n})`, FILE_NAME));
    const values = unwrap(context.callFunction(parse, context.undefined, owned.manage(context.newString(scopeJson))));
    const args = names.map((name) => owned.manage(context.getProp(values, name)));
    const promise = unwrap(context.callFunction(fn, context.undefined, ...args));

    // One job at a time, so that work left running in the background does not hold up a settled result.
    let result: QuickJSHandle | undefined;
    while (!result) {
      const state = context.getPromiseState(promise);
      if (state.type === 'fulfilled') result = owned.manage(state.value);
      else if (state.type === 'rejected') throw fail(state.error);
      else {
        const jobs = runtime.executePendingJobs(1);
        if (jobs.error) throw fail(jobs.error);
        if (jobs.value === 0)
          throw new SandboxError('user_error', 'Function never finished: it awaits a promise that nothing can resolve');
      }
    }

    const text = unwrap(context.callFunction(stringify, context.undefined, result));
    const output = context.typeof(text) === 'string' ? context.getString(text) : 'null';
    const size = Buffer.byteLength(output);
    if (limits.maxOutputBytes !== undefined && size > limits.maxOutputBytes) {
      throw new SandboxError(
        'output_too_large',
        `Function output is ${size} bytes of JSON, over the limit of ${limits.maxOutputBytes} bytes`,
      );
    }
    return output;
  } catch (error) {
    healthy = error instanceof SandboxError;
    throw error;
  } finally {
    // Freeing a VM left mid-call by a host error trips QuickJS's own assertions; the module is discarded instead.
    if (healthy) owned.dispose();
  }
}

/** Turns what the VM threw into a SandboxError naming the cause and, for the author's mistakes, the line. */
function failure(
  context: QuickJSContext,
  error: QuickJSHandle,
  timedOut: boolean,
  limits: SandboxLimits,
  code: string,
): SandboxError {
  if (timedOut) return new SandboxError('timeout', `Function ran longer than ${limits.timeoutMs} ms`);
  const thrown: unknown = context.dump(error);
  const { name, message, line } = describe(thrown);
  if (name === 'InternalError' && message === 'out of memory') {
    return new SandboxError('memory', `Function exceeded the memory limit of ${formatMiB(limits.memoryBytes)}`);
  }
  if (name === 'InternalError' && message === 'stack overflow') {
    return new SandboxError('memory', 'Function exceeded the stack size limit (is a recursion unbounded?)');
  }
  const bodyLines = code.split('\n').length;
  const where = line === undefined ? '' : ` (line ${Math.min(Math.max(line, 1), bodyLines)})`;
  const text = (name ? `${name}: ${message}` : message).slice(0, MAX_MESSAGE_CHARS);
  // A SyntaxError carrying a line number comes from compiling the body, not from running it.
  const compile = name === 'SyntaxError' && isRecord(thrown) && typeof thrown.lineNumber === 'number';
  return new SandboxError(compile ? 'syntax_error' : 'user_error', `${text}${where}`);
}

/** Name, message and body line (the wrapper adds one line above the body) of any thrown value. */
function describe(thrown: unknown): { name?: string; message: string; line?: number } {
  if (!isRecord(thrown) || typeof thrown.message !== 'string') {
    return { message: typeof thrown === 'string' ? thrown : `${JSON.stringify(thrown) ?? String(thrown)} was thrown` };
  }
  const name = typeof thrown.name === 'string' ? thrown.name : undefined;
  const at =
    typeof thrown.lineNumber === 'number' ? thrown.lineNumber : Number(STACK_LINE.exec(String(thrown.stack))?.[1]);
  return { name, message: thrown.message, line: Number.isFinite(at) ? at - 1 : undefined };
}

function formatMiB(bytes: number): string {
  return `${Number((bytes / 1_048_576).toFixed(2))} MiB`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
