/** `timeout`, `memory`, `syntax_error` and `output_too_large` repeat on a retry; a `user_error` may not. */
export type SandboxErrorCode = 'timeout' | 'memory' | 'user_error' | 'syntax_error' | 'output_too_large';

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
