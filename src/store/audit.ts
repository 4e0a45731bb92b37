import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import type { Database } from './db.ts';
import { decodeCursor, toPage, type Page } from './pagination.ts';
import { auditLog } from './schema.ts';

export type AuditOutcome = 'success' | 'denied' | 'not_found' | 'invalid' | 'failed';
export interface AuditEntry {
  workspaceId: string | null;
  actorType: 'user' | 'api_key' | 'anonymous' | 'operator';
  actorId: string | null;
  /** Email of a user or name of a key, so the log reads without joins and survives deletions. */
  actorLabel: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  ip: string | null;
  outcome: AuditOutcome;
  statusCode: number | null;
}
export type AuditRow = typeof auditLog.$inferSelect;

export const outcomeOf = (status: number): AuditOutcome =>
  status < 400
    ? 'success'
    : status === 401 || status === 403
      ? 'denied'
      : status === 404
        ? 'not_found'
        : status < 500
          ? 'invalid'
          : 'failed';

export async function recordAudit(db: Database, entry: AuditEntry): Promise<void> {
  await db.orm.insert(auditLog).values(entry);
}

/** Whose entries: one workspace's, or the instance's own (sign-ins, sign-outs, first-run setup, operator actions). */
export type AuditScope = { workspaceId: string } | 'instance';

/** The entries of a scope, newest first, by cursor. */
export async function listAudit(
  db: Database,
  scope: AuditScope,
  query: { limit: number; cursor?: string },
): Promise<Page<AuditRow>> {
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await db.orm
    .select()
    .from(auditLog)
    .where(
      and(
        scope === 'instance' ? isNull(auditLog.workspaceId) : eq(auditLog.workspaceId, scope.workspaceId),
        after
          ? or(lt(auditLog.at, after.createdAt), and(eq(auditLog.at, after.createdAt), lt(auditLog.id, after.id)))
          : undefined,
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(query.limit + 1);
  return toPage(
    rows.map((row) => ({ ...row, createdAt: row.at })),
    query.limit,
    ({ createdAt: _c, ...row }) => row,
  );
}
