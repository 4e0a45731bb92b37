import { sql, type SQL } from 'drizzle-orm';
import type { StoredEvent } from '../model/events.ts';
import { rowsOf, type Orm } from './db.ts';
import type { Change, ExecutionRow, StepWrite } from './execution-rows.ts';

/**
 * One state change as ONE SQL statement (data-modifying CTEs): bump the execution's offset and patch it,
 * upsert step attempts, append the events. A single statement is atomic on its own and costs one round
 * trip, which matters most on embedded PGlite where every call has a fixed cost.
 */
const EXECUTION_COLUMNS: Record<keyof NonNullable<Change['execution']>, [string, Cast]> = {
  status: ['status', 'text'],
  waiting: ['waiting', 'jsonb'],
  output: ['output', 'json'],
  error: ['error', 'jsonb'],
  startedAt: ['started_at', 'timestamptz'],
  finishedAt: ['finished_at', 'timestamptz'],
  wakeAt: ['wake_at', 'timestamptz'],
  deadlineAt: ['deadline_at', 'timestamptz'],
};
const STEP_COLUMNS: Record<Exclude<keyof StepWrite, 'nodeId' | 'attempt'>, [string, Cast]> = {
  status: ['status', 'text'],
  input: ['input', 'json'],
  output: ['output', 'json'],
  handle: ['handle', 'text'],
  error: ['error', 'jsonb'],
  startedAt: ['started_at', 'timestamptz'],
  finishedAt: ['finished_at', 'timestamptz'],
};
type Cast = 'text' | 'json' | 'jsonb' | 'timestamptz';

function literal(value: unknown, cast: Cast): SQL {
  if (value === null) return sql`null`;
  if (cast === 'json' || cast === 'jsonb') return sql`${JSON.stringify(value)}::${sql.raw(cast)}`;
  if (cast === 'timestamptz') return sql`${(value as Date).toISOString()}::timestamptz`;
  return sql`${value}::text`;
}

const given = <T extends object>(values: T) =>
  Object.entries(values).filter(([, v]) => v !== undefined) as Array<[keyof T & string, unknown]>;

function stepUpsert(executionId: string, step: StepWrite, index: number): SQL {
  const fields = given(step).filter(([key]) => key !== 'nodeId' && key !== 'attempt') as Array<
    [keyof typeof STEP_COLUMNS, unknown]
  >;
  const columns = fields.map(([key]) => sql.raw(STEP_COLUMNS[key][0]));
  const values = fields.map(([key, value]) => literal(value, STEP_COLUMNS[key][1]));
  const updates = fields.map(([key]) => sql.raw(`${STEP_COLUMNS[key][0]} = excluded.${STEP_COLUMNS[key][0]}`));
  return sql`, ${sql.raw(`s${index}`)} as (
    insert into step_runs (execution_id, node_id, attempt, ${sql.join(columns, sql`, `)})
    values (${executionId}::uuid, ${step.nodeId}::text, ${step.attempt}::int, ${sql.join(values, sql`, `)})
    on conflict (execution_id, node_id, attempt) do update set ${sql.join(updates, sql`, `)})`;
}

export async function applyChange(
  orm: Orm,
  executionId: string,
  change: Change,
): Promise<{ execution: ExecutionRow; events: StoredEvent[] }> {
  const n = change.events.length;
  const sets = [
    sql`last_offset = last_offset + ${n}::int`,
    sql`updated_at = now()`,
    ...given(change.execution ?? {}).map(
      ([key, value]) => sql`${sql.raw(EXECUTION_COLUMNS[key][0])} = ${literal(value, EXECUTION_COLUMNS[key][1])}`,
    ),
  ];
  const steps = (change.steps ?? []).map((step, i) => stepUpsert(executionId, step, i));
  const events =
    n === 0
      ? sql``
      : sql`, ev as (
    insert into execution_events (execution_id, "offset", type, node_id, payload)
    select e.id, e.last_offset - ${n}::int + v.k, v.type, v.node_id, v.payload from e,
      (values ${sql.join(
        change.events.map(
          (event, i) =>
            sql`(${i + 1}::int, ${event.type}::text, ${event.nodeId ?? null}::text, ${JSON.stringify(event.data ?? {})}::json)`,
        ),
        sql`, `,
      )}) as v(k, type, node_id, payload)
    returning "offset", type, node_id, payload, at)`;
  const result = await orm.execute(sql`
    with e as (update executions set ${sql.join(sets, sql`, `)} where id = ${executionId}::uuid returning *)
    ${sql.join(steps, sql``)}
    ${events}
    select (select row_to_json(e) from e) as execution,
           ${n === 0 ? sql`'[]'::json` : sql`(select json_agg(ev order by ev."offset") from ev)`} as events`);
  const [row] = rowsOf(result);
  if (!row?.execution) throw new Error(`execution ${executionId} vanished`);
  return {
    execution: executionFromJson(row.execution as Record<string, unknown>),
    events: (row.events as Array<Record<string, unknown>>).map(
      (e) =>
        ({
          executionId,
          offset: Number(e.offset),
          type: String(e.type),
          nodeId: (e.node_id as string | null) ?? null,
          data: e.payload,
          at: new Date(String(e.at)),
        }) as StoredEvent,
    ),
  };
}

const date = (value: unknown) => (value === null || value === undefined ? null : new Date(String(value)));

/** `row_to_json` of an executions row (snake_case, timestamps as text) → the drizzle row shape. */
export function executionFromJson(r: Record<string, unknown>): ExecutionRow {
  return {
    id: r.id as string,
    workspaceId: r.workspace_id as string,
    workflowId: r.workflow_id as string,
    version: Number(r.version),
    status: r.status as ExecutionRow['status'],
    mode: r.mode as ExecutionRow['mode'],
    input: r.input,
    output: r.output ?? null,
    error: (r.error ?? null) as ExecutionRow['error'],
    pausePoints: r.pause_points as string[],
    waiting: (r.waiting ?? null) as ExecutionRow['waiting'],
    lastOffset: Number(r.last_offset),
    parentExecutionId: (r.parent_execution_id as string | null) ?? null,
    parentNodeId: (r.parent_node_id as string | null) ?? null,
    parentAttempt: r.parent_attempt === null ? null : Number(r.parent_attempt),
    iteration: r.iteration === null ? null : Number(r.iteration),
    scope: (r.scope as string | null) ?? null,
    vars: r.vars,
    wakeAt: date(r.wake_at),
    deadlineAt: date(r.deadline_at),
    createdAt: date(r.created_at)!,
    updatedAt: date(r.updated_at)!,
    startedAt: date(r.started_at),
    finishedAt: date(r.finished_at),
    leaseOwner: (r.lease_owner as string | null) ?? null,
    leaseExpiresAt: date(r.lease_expires_at),
  };
}
