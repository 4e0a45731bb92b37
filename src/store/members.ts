import { and, asc, eq, sql } from 'drizzle-orm';
import type { Role } from '../model/roles.ts';
import { DuetError } from '../model/errors.ts';
import type { Database, Orm } from './db.ts';
import { members, users, workspaces } from './schema.ts';
import type { Workspace } from './workspaces.ts';

export interface Membership {
  workspace: Pick<Workspace, 'id' | 'slug' | 'name'>;
  role: Role;
}
export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
}

/** Adds a member or changes the role of an existing one. */
export async function upsertMember(orm: Orm, workspaceId: string, userId: string, role: Role): Promise<void> {
  await orm
    .insert(members)
    .values({ workspaceId, userId, role })
    .onConflictDoUpdate({ target: [members.workspaceId, members.userId], set: { role } });
}

/** The workspaces a user belongs to, the default one first, then by name. */
export async function membershipsOf(db: Database, userId: string): Promise<Membership[]> {
  const rows = await db.orm
    .select({ id: workspaces.id, slug: workspaces.slug, name: workspaces.name, role: members.role })
    .from(members)
    .innerJoin(workspaces, eq(workspaces.id, members.workspaceId))
    .where(eq(members.userId, userId))
    .orderBy(sql`${workspaces.slug} = 'default' desc`, asc(workspaces.name));
  return rows.map(({ role, ...workspace }) => ({ workspace, role: role as Role }));
}

export async function roleIn(db: Database, workspaceId: string, userId: string): Promise<Role | undefined> {
  const [row] = await db.orm
    .select({ role: members.role })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), eq(members.userId, userId)));
  return row?.role as Role | undefined;
}

export async function listMembers(db: Database, workspaceId: string): Promise<Member[]> {
  const rows = await db.orm
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: members.role,
      createdAt: members.createdAt,
    })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(eq(members.workspaceId, workspaceId))
    .orderBy(asc(users.email))
    .limit(1000);
  return rows.map((row) => ({ ...row, role: row.role as Role }));
}

/**
 * Changes a member's role or removes them (role `null`), refusing to leave the workspace without an admin.
 * One transaction with the member rows locked, so two admins demoting each other cannot both succeed.
 */
export async function changeMember(
  db: Database,
  workspaceId: string,
  userId: string,
  role: Role | null,
): Promise<void> {
  await db.orm.transaction(async (tx) => {
    const rows = await tx
      .select({ userId: members.userId, role: members.role })
      .from(members)
      .where(eq(members.workspaceId, workspaceId))
      .for('update');
    const target = rows.find((row) => row.userId === userId);
    if (!target) throw new DuetError('not_found', `user "${userId}" is not a member of this workspace`);
    const admins = rows.filter((row) => row.role === 'admin').length;
    if (target.role === 'admin' && role !== 'admin' && admins === 1) {
      throw new DuetError('conflict', 'this is the last admin of the workspace; make another member admin first');
    }
    const where = and(eq(members.workspaceId, workspaceId), eq(members.userId, userId));
    if (role === null) await tx.delete(members).where(where);
    else await tx.update(members).set({ role }).where(where);
  });
}
