import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { DuetError } from '../model/errors.ts';
import type { Database, Orm } from './db.ts';
import { executions, workspaces } from './schema.ts';

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

/** Execution counts a project card shows: what is active now plus what ended recently. */
export interface WorkspaceCounts {
  running: number;
  waiting: number;
  failed: number;
  completed: number;
}
export interface WorkspaceSummary extends Pick<Workspace, 'id' | 'name' | 'slug' | 'status' | 'priority'> {
  counts: WorkspaceCounts;
}

const MAX_LISTED_WORKSPACES = 200;

/**
 * Every workspace with counts of its top-level executions (child runs of loops and parallels are left out):
 * active ones (queued, running or paused count as running; waiting) whatever their age, and ended ones
 * (failed incl. timed out; completed) created since `since`.
 */
export async function listWorkspaceSummaries(
  db: Database,
  since: Date,
  onlyIds?: string[],
): Promise<WorkspaceSummary[]> {
  if (onlyIds?.length === 0) return [];
  const count = (condition: ReturnType<typeof sql>) =>
    sql<number>`count(${executions.id}) filter (where ${condition})::int`;
  const rows = await db.orm
    .select({
      id: workspaces.id,
      name: workspaces.name,
      slug: workspaces.slug,
      status: workspaces.status,
      priority: workspaces.priority,
      running: count(sql`${executions.status} in ('queued', 'running', 'paused')`),
      waiting: count(sql`${executions.status} = 'waiting'`),
      failed: count(sql`${executions.status} in ('failed', 'timed_out') and ${executions.createdAt} >= ${since}`),
      completed: count(sql`${executions.status} = 'completed' and ${executions.createdAt} >= ${since}`),
    })
    .from(workspaces)
    .leftJoin(executions, and(eq(executions.workspaceId, workspaces.id), isNull(executions.parentExecutionId)))
    .where(onlyIds ? inArray(workspaces.id, onlyIds) : undefined)
    .groupBy(workspaces.id)
    .orderBy(desc(workspaces.priority), asc(workspaces.name))
    .limit(MAX_LISTED_WORKSPACES);
  return rows.map(({ running, waiting, failed, completed, ...workspace }) => ({
    ...workspace,
    counts: { running, waiting, failed, completed },
  }));
}

export const workspaceSlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(60)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use lowercase letters, digits and single dashes, e.g. "sales-ops"');

/** Creates a workspace; a taken slug is a 409 that names it. */
export async function createWorkspace(orm: Orm, input: { slug: string; name?: string }): Promise<Workspace> {
  const slug = workspaceSlugSchema.parse(input.slug);
  const [row] = await orm
    .insert(workspaces)
    .values({ slug, name: input.name?.trim() || slug })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new DuetError('conflict', `a workspace with slug "${slug}" already exists; pick another slug`);
  return row;
}

/** A workspace by id or slug. */
export async function findWorkspace(orm: Orm, idOrSlug: string): Promise<Workspace | undefined> {
  const byId = z.string().uuid().safeParse(idOrSlug).success;
  const [row] = await orm
    .select()
    .from(workspaces)
    .where(byId ? eq(workspaces.id, idOrSlug) : eq(workspaces.slug, idOrSlug.toLowerCase()));
  return row;
}
