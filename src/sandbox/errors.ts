/**
 * `timeout`, `memory`, `syntax_error` and `output_too_large` repeat on a retry; a `user_error` may not, nor may
 * `sandbox_crashed` (the worker thread running the function died) or `sandbox_busy` (too many calls waiting).
 */
export type SandboxErrorCode =
  'timeout' | 'memory' | 'user_error' | 'syntax_error' | 'output_too_large' | 'sandbox_crashed' | 'sandbox_busy';

/** The codes whose failure may not repeat on a retry. */
export const TRANSIENT_SANDBOX_ERRORS: ReadonlySet<SandboxErrorCode> = new Set([
  'user_error',
  'sandbox_crashed',
  'sandbox_busy',
]);

/** Why a sandboxed function failed, in words meant for the workflow's author. */
export class SandboxError extends Error {
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}
