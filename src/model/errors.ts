import type { Problem } from './problem.ts';

/** Error codes of the API envelope, each bound to its HTTP status. */
export const ERROR_STATUS = {
  invalid_json: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_graph: 422,
  invalid_input: 422,
  invalid_trigger: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

/** An expected failure with a message that tells the caller what to fix. */
export class DuetError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Problem[] = [],
  ) {
    super(message);
    this.name = 'DuetError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what: string, id: string) => new DuetError('not_found', `${what} "${id}" does not exist`);
