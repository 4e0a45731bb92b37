import { parentPort } from 'node:worker_threads';
import { runFunctionJson, SandboxError, type SandboxLimits } from './quickjs.ts';

/** One call, as the pool posts it; the worker runs one at a time. */
export interface WorkerCall {
  code: string;
  names: string[];
  scopeJson: string;
  limits: SandboxLimits;
}

/** The worker's answer: the result as JSON text, a SandboxError's code and message, or an unexpected error. */
export type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'output'; json: string }
  | { kind: 'sandbox_error'; code: SandboxError['code']; message: string }
  | { kind: 'error'; message: string };

const port = parentPort!;
port.on('message', (call: WorkerCall) => {
  runFunctionJson(call.code, call.names, call.scopeJson, call.limits).then(
    (json) => port.postMessage({ kind: 'output', json } satisfies WorkerReply),
    (error: unknown) =>
      port.postMessage(
        (error instanceof SandboxError
          ? { kind: 'sandbox_error', code: error.code, message: error.message }
          : { kind: 'error', message: error instanceof Error ? error.message : String(error) }) satisfies WorkerReply,
      ),
  );
});
// A first run compiles QuickJS's WebAssembly (V8 compiles it lazily, and shares the code between instances), so that
// the first call's time limit is not spent on it.
await runFunctionJson('return 1', [], '{}', { timeoutMs: 60_000, memoryBytes: 1024 * 1024 });
port.postMessage({ kind: 'ready' } satisfies WorkerReply);
