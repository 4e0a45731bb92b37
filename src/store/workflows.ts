import { and, desc, eq, isNull, like, or, sql } from 'drizzle-orm';
import { graphHash } from '../graph/hash.ts';
import { DuetError, notFound } from '../model/errors.ts';
import type { WorkflowGraph } from '../model/graph.ts';
import type { Database, Orm } from './db.ts';
import { decodeCursor, type Page, toPage } from './pagination.ts';
import { workflows, workflowVersions } from './schema.ts';

type WorkflowRow = typeof workflows.$inferSelect;
type VersionRow = typeof workflowVersions.$inferSelect;

/** The workflow resource of the API contract. */
export interface Workflow {
  id: string;
  workspaceId: string;
  name: string;
  slug: string;
  draft: WorkflowGraph;
  latestVersion: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface WorkflowVersion {
  workflowId: string;
  number: number;
  graph: WorkflowGraph;
  hash: string;
  publishedBy: string | null;
  publishedAt: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNIQUE_VIOLATION = '23505';

const toWorkflow = (row: WorkflowRow): Workflow => ({
  id: row.id,
  workspaceId: row.workspaceId,
  name: row.name,
  slug: row.slug,
  draft: row.draft as WorkflowGraph,
  latestVersion: row.latestVersion,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const toVersion = (row: VersionRow): WorkflowVersion => ({
  workflowId: row.workflowId,
  number: row.number,
  graph: row.graph as WorkflowGraph,
  hash: row.hash,
  publishedBy: row.publishedBy,
  publishedAt: row.publishedAt,
});

/** A URL-safe name: "Refund request!" → "refund-request". */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'workflow';
}

const live = (workspaceId: string) => and(eq(workflows.workspaceId, workspaceId), isNull(workflows.deletedAt));

/** Workflows keep their data in one workspace; every query is scoped to it. */
export class WorkflowRepository {
  constructor(private readonly db: Database) {}

  async list(workspaceId: string, opts: { limit: number; cursor?: string }): Promise<Page<Workflow>> {
    const after = opts.cursor ? decodeCursor(opts.cursor) : undefined;
    const rows = await this.db.orm
      .select()
      .from(workflows)
      .where(
        and(
          live(workspaceId),
          after
            ? sql`(${workflows.createdAt}, ${workflows.id}) < (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`
            : undefined,
        ),
      )
      .orderBy(desc(workflows.createdAt), desc(workflows.id))
      .limit(opts.limit + 1);
    return toPage(rows, opts.limit, toWorkflow);
  }

  /** Finds a live workflow by id or slug. */
  async find(workspaceId: string, idOrSlug: string, orm: Orm = this.db.orm): Promise<Workflow | null> {
    const match = UUID.test(idOrSlug)
      ? or(eq(workflows.id, idOrSlug), eq(workflows.slug, idOrSlug))
      : eq(workflows.slug, idOrSlug);
    const [row] = await orm
      .select()
      .from(workflows)
      .where(and(live(workspaceId), match))
      .limit(1);
    return row ? toWorkflow(row) : null;
  }

  /** Like `find`, but a missing workflow is a not_found error. */
  async get(workspaceId: string, idOrSlug: string, orm: Orm = this.db.orm): Promise<Workflow> {
    const workflow = await this.find(workspaceId, idOrSlug, orm);
    if (!workflow) throw notFound('workflow', idOrSlug);
    return workflow;
  }

  /**
   * Creates a workflow whose slug is `preferredSlug` (or the name's), suffixed -2, -3… when taken. With
   * `numberName`, its name gets the same number ("Personal assistant (2)"), so copies are told apart in lists.
   */
  async create(
    workspaceId: string,
    graph: WorkflowGraph,
    preferredSlug?: string,
    opts: { numberName?: boolean } = {},
  ): Promise<Workflow> {
    const base = slugify(preferredSlug ?? graph.name);
    for (let attempt = 0; attempt < 5; attempt++) {
      const slug = await this.freeSlug(workspaceId, base);
      const suffix = slug.slice(base.length + 1);
      const draft = opts.numberName && suffix ? { ...graph, name: `${graph.name.slice(0, 190)} (${suffix})` } : graph;
      try {
        const [row] = await this.db.orm
          .insert(workflows)
          .values({ workspaceId, name: draft.name, slug, draft })
          .returning();
        return toWorkflow(row!);
      } catch (error) {
        // Someone took the slug between our check and insert: pick the next one.
        if (!isUniqueViolation(error)) throw error;
      }
    }
    throw new DuetError('conflict', `could not find a free slug for "${base}"; try again or choose another name`);
  }

  async updateDraft(workspaceId: string, idOrSlug: string, graph: WorkflowGraph): Promise<Workflow> {
    const current = await this.get(workspaceId, idOrSlug);
    const [row] = await this.db.orm
      .update(workflows)
      .set({ draft: graph, name: graph.name, updatedAt: new Date() })
      .where(and(eq(workflows.id, current.id), isNull(workflows.deletedAt)))
      .returning();
    if (!row) throw notFound('workflow', idOrSlug);
    return toWorkflow(row);
  }

  /** Soft delete: executions keep pointing at it, and its slug becomes free again. */
  async remove(workspaceId: string, idOrSlug: string): Promise<void> {
    const current = await this.get(workspaceId, idOrSlug);
    await this.db.orm.update(workflows).set({ deletedAt: new Date() }).where(eq(workflows.id, current.id));
  }

  /**
   * Publishes the draft as the next immutable version. Publishing an unchanged draft returns
   * the latest version instead of creating a duplicate (`created: false`).
   */
  async publish(
    workspaceId: string,
    idOrSlug: string,
    publishedBy: string | null,
  ): Promise<{ version: WorkflowVersion; created: boolean }> {
    return this.db.orm.transaction(async (tx) => {
      const current = await this.get(workspaceId, idOrSlug, tx);
      // Lock the workflow row so two concurrent publishes get consecutive numbers.
      await tx.execute(sql`select 1 from workflows where id = ${current.id} for update`);
      const [locked] = await tx.select().from(workflows).where(eq(workflows.id, current.id));
      const hash = graphHash(locked!.draft);
      if (locked!.latestVersion !== null) {
        const [latest] = await tx
          .select()
          .from(workflowVersions)
          .where(and(eq(workflowVersions.workflowId, current.id), eq(workflowVersions.number, locked!.latestVersion)));
        if (latest && latest.hash === hash) return { version: toVersion(latest), created: false };
      }
      const number = (locked!.latestVersion ?? 0) + 1;
      const [row] = await tx
        .insert(workflowVersions)
        .values({ workflowId: current.id, number, graph: locked!.draft, hash, publishedBy })
        .returning();
      await tx
        .update(workflows)
        .set({ latestVersion: number, updatedAt: new Date() })
        .where(eq(workflows.id, current.id));
      return { version: toVersion(row!), created: true };
    });
  }

  async listVersions(workspaceId: string, idOrSlug: string): Promise<WorkflowVersion[]> {
    const workflow = await this.get(workspaceId, idOrSlug);
    const rows = await this.db.orm
      .select()
      .from(workflowVersions)
      .where(eq(workflowVersions.workflowId, workflow.id))
      .orderBy(desc(workflowVersions.number));
    return rows.map(toVersion);
  }

  async getVersion(workspaceId: string, idOrSlug: string, number: number): Promise<WorkflowVersion> {
    const workflow = await this.get(workspaceId, idOrSlug);
    const [row] = await this.db.orm
      .select()
      .from(workflowVersions)
      .where(and(eq(workflowVersions.workflowId, workflow.id), eq(workflowVersions.number, number)));
    if (!row) throw notFound(`version of workflow ${workflow.slug}`, String(number));
    return toVersion(row);
  }

  /** A version's graph by workflow id, including versions of deleted workflows (executions outlive them). */
  async versionGraph(workspaceId: string, workflowId: string, number: number): Promise<WorkflowGraph> {
    const [row] = await this.db.orm
      .select({ graph: workflowVersions.graph })
      .from(workflowVersions)
      .innerJoin(workflows, eq(workflows.id, workflowVersions.workflowId))
      .where(
        and(
          eq(workflows.workspaceId, workspaceId),
          eq(workflowVersions.workflowId, workflowId),
          eq(workflowVersions.number, number),
        ),
      );
    if (!row) throw notFound('workflow version', `${workflowId}@${number}`);
    return row.graph as WorkflowGraph;
  }

  private async freeSlug(workspaceId: string, base: string): Promise<string> {
    const rows = await this.db.orm
      .select({ slug: workflows.slug })
      .from(workflows)
      .where(and(live(workspaceId), or(eq(workflows.slug, base), like(workflows.slug, `${base}-%`))));
    const taken = new Set(rows.map((r) => r.slug));
    if (!taken.has(base)) return base;
    let n = 2;
    while (taken.has(`${base}-${n}`)) n++;
    return `${base}-${n}`;
  }
}

function isUniqueViolation(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return (error as { code?: string }).code === UNIQUE_VIOLATION || cause?.code === UNIQUE_VIOLATION;
}
