import { z } from 'zod';
import type { Database } from '../../store/db.ts';
import { generatedPassword, publicUser, resetPassword } from '../../store/users.ts';
import type { ZodApp } from '../zod.ts';

const userParams = z.strictObject({ userId: z.string().min(1).max(100) });

/** Instance admins help people who lost their password: a new one, shown once, and every old session ended. */
export async function userAdminRoutes(app: ZodApp, opts: { db: Database }) {
  app.post(
    '/api/v1/admin/users/:userId/password',
    {
      config: { access: 'instance-admin' },
      schema: {
        tags: ['accounts'],
        summary:
          'Reset an account password: answers a new generated password once, signs the account out everywhere and lifts its lockout',
        params: userParams,
      },
    },
    async (request, reply) => {
      const password = generatedPassword();
      const user = await resetPassword(opts.db, request.params.userId, password);
      return reply.header('cache-control', 'no-store').send({ user: publicUser(user), password });
    },
  );
}
