import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Role } from '../model/roles.ts';
import { DuetError } from '../model/errors.ts';
import { bearerTokenHash, newBearerToken } from './bearer-tokens.ts';
import type { Database, Orm } from './db.ts';
import { invitations, workspaces } from './schema.ts';

const TTL_MS = 7 * 24 * 3_600_000;
const MAX_OPEN_PER_WORKSPACE = 500;

export type InvitationRow = typeof invitations.$inferSelect;
export type InvitationView = Omit<InvitationRow, 'tokenHash'>;

const view = ({ tokenHash: _t, ...row }: InvitationRow): InvitationView => row;
const open = (now: Date) =>
  and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now));

/** Makes an invitation; the token is in the answer only (it goes into the emailed link), the database keeps its hash. */
export async function createInvitation(
  db: Database,
  input: { workspaceId: string; email: string; role: Role; invitedBy?: string },
): Promise<{ invitation: InvitationView; token: string }> {
  const count = await db.orm.$count(invitations, and(eq(invitations.workspaceId, input.workspaceId), open(new Date())));
  if (count >= MAX_OPEN_PER_WORKSPACE)
    throw new DuetError(
      'conflict',
      `a workspace holds at most ${MAX_OPEN_PER_WORKSPACE} open invitations; revoke old ones first`,
    );
  const token = newBearerToken();
  const [row] = await db.orm
    .insert(invitations)
    .values({
      workspaceId: input.workspaceId,
      email: input.email,
      role: input.role,
      tokenHash: bearerTokenHash(token),
      invitedBy: input.invitedBy ?? null,
      expiresAt: new Date(Date.now() + TTL_MS),
    })
    .returning();
  return { invitation: view(row!), token };
}

export async function listInvitations(db: Database, workspaceId: string): Promise<InvitationView[]> {
  const rows = await db.orm
    .select()
    .from(invitations)
    .where(eq(invitations.workspaceId, workspaceId))
    .orderBy(desc(invitations.createdAt))
    .limit(MAX_OPEN_PER_WORKSPACE);
  return rows.map(view);
}

export async function revokeInvitation(db: Database, workspaceId: string, id: string): Promise<void> {
  const rows = await db.orm
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(and(eq(invitations.workspaceId, workspaceId), eq(invitations.id, id), open(new Date())))
    .returning({ id: invitations.id });
  if (rows.length === 0) throw new DuetError('not_found', `invitation "${id}" does not exist or is no longer open`);
}

/** The open invitation a token belongs to, with its workspace's name; a clear 404 otherwise. */
export async function openInvitation(orm: Orm, token: string): Promise<InvitationView & { workspaceName: string }> {
  const [row] = await orm
    .select({ invitation: invitations, workspaceName: workspaces.name })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .where(and(eq(invitations.tokenHash, bearerTokenHash(token)), open(new Date())));
  if (!row)
    throw new DuetError(
      'not_found',
      'this invitation link is unknown, used or expired; ask a workspace admin for a new one',
    );
  return { ...view(row.invitation), workspaceName: row.workspaceName };
}

export async function markAccepted(orm: Orm, id: string): Promise<void> {
  await orm.update(invitations).set({ acceptedAt: new Date() }).where(eq(invitations.id, id));
}
