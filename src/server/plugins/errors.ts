import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ZodError } from 'zod';
import { DuetError } from '../../model/errors.ts';
import { formatPath, type Problem } from '../../model/problem.ts';

/** Fastify's own client errors, mapped to the envelope with a message that says what to fix. */
const FASTIFY_ERRORS: Record<string, (e: FastifyError, limit: number) => DuetError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: (e) =>
    new DuetError(
      'invalid_json',
      `the body is not valid JSON: ${e.message.replace(/^Body is not valid JSON but content-type is set to 'application\/json'/, '').trim() || 'check quotes, commas and brackets'}`,
    ),
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    new DuetError('invalid_json', 'the body is empty but content-type is application/json; send a JSON document'),
  FST_ERR_CTP_BODY_TOO_LARGE: (_e, limit) =>
    new DuetError(
      'payload_too_large',
      `the body is larger than ${limit} bytes (MAX_REQUEST_BODY_BYTES); send a smaller document`,
    ),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => new DuetError('unsupported_media_type', 'send the body as application/json'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    new DuetError('invalid_json', 'the Content-Length header does not match the body'),
};

export function zodProblems(error: ZodError, prefix = ''): Problem[] {
  return error.issues.map((issue) => {
    const path = formatPath(issue.path);
    return { code: issue.code, message: issue.message, path: prefix && path ? `${prefix}.${path}` : prefix || path };
  });
}

/** Every error leaves as `{"error":{code,message,details}}`; unexpected ones are logged, not leaked. */
export const errorsPlugin = fp(
  async (app: FastifyInstance, opts: { bodyLimit: number }) => {
    app.setErrorHandler((raw: FastifyError, request, reply) => {
      const error = toDuetError(raw, opts.bodyLimit);
      if (!error && databaseUnreachable(raw)) {
        request.log.warn({ err: raw }, 'the database did not answer');
        return reply
          .status(503)
          .header('retry-after', '5')
          .send({
            error: {
              code: 'unavailable',
              message: 'the database is not answering right now; try again in a few seconds',
              details: [],
            },
          });
      }
      if (!error) {
        request.log.error({ err: raw }, 'unhandled error');
        return reply.status(500).send({
          error: {
            code: 'internal',
            message: 'something went wrong on our side; the request id is in the x-request-id header',
            details: [],
          },
        });
      }
      return reply
        .status(error.status)
        .send({ error: { code: error.code, message: error.message, details: error.details } });
    });

    app.setNotFoundHandler((request, reply) =>
      reply.status(404).send({
        error: {
          code: 'not_found',
          message: `no route ${request.method} ${request.url.split('?')[0]}; see /api/docs for the API`,
          details: [],
        },
      }),
    );
  },
  { name: 'duet-errors' },
);

// Node socket errors and PostgreSQL's "connection lost / server shutting down / starting up" classes.
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);

/** A query that failed because the database went away (restart, failover), looking through drizzle's wrapper. */
function databaseUnreachable(error: unknown): boolean {
  for (
    let e = error as { code?: string; message?: string; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if ((e.code && UNREACHABLE.has(e.code)) || /Connection terminated|connect ECONNREFUSED/.test(e.message ?? ''))
      return true;
  }
  return false;
}

function toDuetError(error: FastifyError, bodyLimit: number): DuetError | null {
  if (error instanceof DuetError) return error;
  if (error instanceof ZodError) {
    const where = (error as unknown as { validationContext?: string }).validationContext ?? 'body';
    const details = zodProblems(error, where);
    return new DuetError(
      'validation_failed',
      `the request ${where} is not valid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
      details,
    );
  }
  const mapped = error.code ? FASTIFY_ERRORS[error.code] : undefined;
  if (mapped) return mapped(error, bodyLimit);
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new DuetError('validation_failed', error.message);
  }
  return null;
}
