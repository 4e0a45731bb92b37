import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from './db.ts';

/** Waiting executions by reason, and those waiting on a time that passed over `graceSeconds` ago (a lost timer). */
export async function waitingStats(
  db: Database,
  graceSeconds: number,
): Promise<{ byReason: Record<string, number>; overdue: number }> {
  const rows = rowsOf(
    await db.orm.execute(sql`
    select coalesce(waiting->>'reason', 'unknown') as reason, count(*)::int as n,
           count(*) filter (where wake_at < now() - make_interval(secs => ${graceSeconds}))::int as overdue
    from executions where status = 'waiting' group by 1`),
  );
  return {
    byReason: Object.fromEntries(rows.map((r) => [String(r.reason), Number(r.n)])),
    overdue: rows.reduce((n, r) => n + Number(r.overdue), 0),
  };
}
