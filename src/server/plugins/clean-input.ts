import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DuetError } from '../../model/errors.ts';
import { findUnsafeText, unsafeTextMessage } from '../unsafe-text.ts';

function refuse(where: string, value: unknown): void {
  const found = findUnsafeText(value);
  if (found) throw new DuetError('validation_failed', unsafeTextMessage(where, found));
}

/**
 * Route parameters, query and JSON body with a NUL or a lone surrogate are refused with a 400 on every route:
 * parameters and query before anything else runs (authentication reads the database), the body as soon as it
 * is parsed. Registered before the other plugins so its hook runs first.
 */
export const cleanInputPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRequest', async (request) => {
      refuse('path', request.params);
      refuse('query', request.query);
    });
    app.addHook('preValidation', async (request) => {
      refuse('body', request.body);
    });
  },
  { name: 'duet-clean-input', dependencies: ['duet-errors'] },
);
