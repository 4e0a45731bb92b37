/** A step attempt's failure as stored on the step and carried by its events. */
export interface StepFailure {
  code: string;
  message: string;
  retryable: boolean;
  details?: unknown;
}

/**
 * Thrown by whatever a step calls (a block, an LLM provider) to fail the attempt with a code.
 * `retryable: false` skips the remaining attempts (bad config, 4xx answers…).
 */
export class StepError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly retryable = true,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'StepError';
  }
}
