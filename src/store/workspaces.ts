import { eq, sql } from 'drizzle-orm';
import type { Database } from './db.ts';
import { workspaces } from './schema.ts';

export const DEFAULT_WORKSPACE_SLUG = 'default';

export type Workspace = typeof workspaces.$inferSelect;

/** Creates the `default` workspace if it is missing; safe to call on every start. */
export async function ensureDefaultWorkspace(db: Database): Promise<Workspace> {
  await db.orm.insert(workspaces).values({ name: 'Default', slug: DEFAULT_WORKSPACE_SLUG }).onConflictDoNothing();
  const [row] = await db.orm.select().from(workspaces).where(eq(workspaces.slug, DEFAULT_WORKSPACE_SLUG));
  if (!row) throw new Error('the default workspace could not be created');
  return row;
}

export async function countWorkspaces(db: Database): Promise<number> {
  const [row] = await db.orm.select({ n: sql<number>`count(*)::int` }).from(workspaces);
  return row?.n ?? 0;
}
