import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../store/db.ts';
import { backupFileName } from '../../store/backup/format.ts';
import { writeBackup } from '../../store/backup/write.ts';

/**
 * Operator routes. `duet backup` uses this one while the server holds the embedded database: the backup is
 * streamed from one consistent snapshot; if it fails midway the stream is cut, so the client never sees an `end`
 * record and keeps nothing.
 */
export async function adminRoutes(app: FastifyInstance, opts: { db: Database; version: string }) {
  app.post(
    '/api/v1/admin/backup',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['operations'],
        summary:
          'Stream a consistent gzip backup of all data (instance admins, or the operator: loopback, or Bearer ADMIN_TOKEN)',
      },
    },
    async (request, reply) => {
      const body = new PassThrough();
      writeBackup(opts.db, body, opts.version).then(
        (result) =>
          request.log.info(
            {
              tables: Object.keys(result.end.tables).length,
              rows: Object.values(result.end.tables).reduce((n, t) => n + t.rows, 0),
            },
            'backup streamed',
          ),
        (error: unknown) => request.log.error({ err: error }, 'backup failed; the stream was cut'),
      );
      return reply
        .header('content-type', 'application/gzip')
        .header('content-disposition', `attachment; filename="${backupFileName(new Date())}"`)
        .send(body);
    },
  );
}
