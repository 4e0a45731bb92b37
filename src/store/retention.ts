import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from './db.ts';

export interface PrunePolicy {
  /** Ended top-level executions that finished before this are pruned. */
  finishedBefore?: Date;
  /** Beyond the newest `keepNewest` ended top-level executions, older ones are pruned. */
  keepNewest?: number;
  /** Statuses that mean "ended" (the engine owns that list). */
  terminal: readonly string[];
  /** Top-level executions per batch; each batch is one short transaction. */
  batchSize: number;
}

/**
 * Deletes one batch of ended top-level executions that the policy allows, with their whole tree of child executions
 * (loop iterations, branches, subworkflows); step_runs and events go with them (ON DELETE CASCADE). A tree in which
 * anything is still queued, running, waiting or paused is left alone. Conversations that pointed at a pruned
 * execution keep their turns and lose the link. Returns the number of executions deleted (children included) and
 * how many of them were top-level.
 */
export async function pruneBatch(db: Database, policy: PrunePolicy): Promise<{ executions: number; roots: number }> {
  if (!policy.finishedBefore && !policy.keepNewest) return { executions: 0, roots: 0 };
  const terminal = sql.join(
    policy.terminal.map((s) => sql`${s}`),
    sql`, `,
  );
  const byAge = policy.finishedBefore
    ? sql`e.finished_at < ${policy.finishedBefore.toISOString()}::timestamptz`
    : sql`false`;
  const byCount = policy.keepNewest
    ? sql`e.id in (select id from executions where parent_execution_id is null and status in (${terminal})
                   order by finished_at desc nulls last, id desc offset ${policy.keepNewest})`
    : sql`false`;
  return db.orm.transaction(async (tx) => {
    const rows = rowsOf(
      await tx.execute(sql`
      with recursive roots as (
        select e.id from executions e
        where e.parent_execution_id is null and e.status in (${terminal}) and (${byAge} or ${byCount})
          and not exists (select 1 from executions c where c.parent_execution_id = e.id and c.status not in (${terminal}))
        order by e.finished_at nulls first, e.id
        limit ${policy.batchSize}
        for update skip locked
      ), tree as (
        select id, id as root from roots
        union all
        select c.id, t.root from executions c join tree t on c.parent_execution_id = t.id
      ), live as (
        select distinct t.root from tree t join executions e on e.id = t.id where e.status not in (${terminal})
      )
      select id, root from tree where root not in (select root from live)`),
    );
    const ids = rows.map((r) => String(r.id));
    if (ids.length === 0) return { executions: 0, roots: 0 };
    const list = sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    );
    await tx.execute(sql`update conversations set execution_id = null where execution_id in (${list})`);
    await tx.execute(sql`delete from executions where id in (${list})`);
    return { executions: ids.length, roots: new Set(rows.map((r) => String(r.root))).size };
  });
}
