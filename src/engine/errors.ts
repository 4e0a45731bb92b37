import { TemplateError } from '../graph/templates.ts';
import { StepError, type StepFailure } from '../model/step-failure.ts';

/** Any error thrown by a block, as stored and shown: a template error is the workflow's fault, not transient. */
export function toFailure(error: unknown): StepFailure {
  if (error instanceof StepError) {
    return {
      code: error.code,
      message: error.message,
      retryable: error.retryable,
      ...(error.details !== undefined ? { details: error.details } : {}),
    };
  }
  if (error instanceof TemplateError) return { code: 'template_error', message: error.message, retryable: false };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error), retryable: true };
}
