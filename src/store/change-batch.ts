import { executionFromJson } from './change-statement.ts';
import type { Database } from './db.ts';
import type { StoredEvent } from '../model/events.ts';
import type { Change, ExecutionRow } from './execution-rows.ts';
import { mergeChanges } from './merge-changes.ts';

/** One caller's change, for the group writer. */
export interface ChangeItem {
  executionId: string;
  change: Change;
  /** Write nothing when the execution's status is one of these (ending twice keeps the first ending). */
  unlessStatus?: readonly string[];
}

/** The committed row and events; null when `unlessStatus` refused the change. */
export type ChangeWritten = { execution: ExecutionRow; events: StoredEvent[] } | null;

/** The fields a change may set: [its name in a Change, its column]. */
const EXECUTION_FIELDS = [
  ['status', 'status'],
  ['waiting', 'waiting'],
  ['output', 'output'],
  ['error', 'error'],
  ['startedAt', 'started_at'],
  ['finishedAt', 'finished_at'],
  ['wakeAt', 'wake_at'],
  ['deadlineAt', 'deadline_at'],
] as const;
const STEP_FIELDS = [
  ['input', 'input'],
  ['output', 'output'],
  ['handle', 'handle'],
  ['error', 'error'],
  ['startedAt', 'started_at'],
  ['finishedAt', 'finished_at'],
] as const;

/** `column = the given value if the change names the field, else the column as it is`, for each field. */
const patch = (row: string, given: string, fields: ReadonlyArray<readonly [string, string]>) =>
  fields
    .map(
      ([field, column]) =>
        `${column} = case when strpos(${given}.keys, ',${field},') > 0 then ${given}.${column} else ${row}.${column} end`,
    )
    .join(',\n    ');

/**
 * The state changes of many executions as ONE hand-written statement over three JSON parameters (executions,
 * step attempts, events), so its text never changes: PostgreSQL prepares it once per connection. Each
 * execution's offset is bumped by its event count under the row lock of the UPDATE, which keeps offsets
 * gap-free. `keys` lists the fields a change sets, so a field set to null is told apart from one left alone.
 */
const STATEMENT = `
with c as (
  select * from json_to_recordset($1::json) as c(id uuid, n int, keys text, unless_status text, status text,
    waiting jsonb, output json, error jsonb, started_at timestamptz, finished_at timestamptz, wake_at timestamptz,
    deadline_at timestamptz)
), e as (
  update executions x set last_offset = x.last_offset + c.n, updated_at = now(),
    ${patch('x', 'c', EXECUTION_FIELDS)}
  from c where x.id = c.id and (c.unless_status is null or strpos(c.unless_status, ',' || x.status || ',') = 0)
  returning x.*
), s as (
  select s.* from json_to_recordset($2::json) as s(execution_id uuid, node_id text, attempt int, keys text,
    status text, input json, output json, handle text, error jsonb, started_at timestamptz, finished_at timestamptz)
  join e on e.id = s.execution_id
), su as (
  update step_runs r set status = s.status,
    ${patch('r', 's', STEP_FIELDS)}
  from s where r.execution_id = s.execution_id and r.node_id = s.node_id and r.attempt = s.attempt
  returning r.execution_id, r.node_id, r.attempt
), si as (
  insert into step_runs (execution_id, node_id, attempt, status, input, output, handle, error, started_at, finished_at)
  select s.execution_id, s.node_id, s.attempt, s.status, s.input, s.output, s.handle, s.error, s.started_at,
    s.finished_at from s
  where not exists (select 1 from su where su.execution_id = s.execution_id and su.node_id = s.node_id
    and su.attempt = s.attempt)
  returning 1
), ev as (
  insert into execution_events (execution_id, "offset", type, node_id, payload)
  select v.execution_id, e.last_offset - c.n + v.k, v.type, v.node_id, coalesce(v.payload, '{}'::json)
  from json_to_recordset($3::json) as v(execution_id uuid, k int, type text, node_id text, payload json)
  join e on e.id = v.execution_id join c on c.id = v.execution_id
  returning execution_id, "offset", type, node_id, payload, at
)
select (select json_agg(row_to_json(e)) from e) as executions,
       (select json_agg(ev order by ev.execution_id, ev."offset") from ev) as events`;

const keysOf = (values: object | undefined) =>
  `,${Object.entries(values ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k]) => k)
    .join(',')},`;

/** Writes the items in one statement; items of the same execution are merged in submission order. */
export async function writeChanges(db: Database, items: readonly ChangeItem[]): Promise<Array<ChangeWritten | Error>> {
  const groups = new Map<string, ChangeItem[]>();
  for (const item of items) groups.set(item.executionId, [...(groups.get(item.executionId) ?? []), item]);
  const executions: unknown[] = [];
  const steps: unknown[] = [];
  const events: unknown[] = [];
  for (const [id, group] of groups) {
    const change = mergeChanges(group.map((item) => item.change));
    // The group writer puts an item with `unlessStatus` alone in its execution's group.
    const unless = group[0]!.unlessStatus;
    executions.push({
      id,
      n: change.events.length,
      keys: keysOf(change.execution),
      unless_status: unless ? `,${unless.join(',')},` : null,
      ...snake(change.execution ?? {}),
    });
    for (const step of change.steps ?? []) steps.push({ execution_id: id, keys: keysOf(step), ...snake(step) });
    change.events.forEach((event, i) =>
      events.push({
        execution_id: id,
        k: i + 1,
        type: event.type,
        node_id: event.nodeId ?? null,
        payload: event.data ?? {},
      }),
    );
  }
  const [row] = await db.query<{ executions: Array<Record<string, unknown>> | null; events: EventJson[] | null }>(
    STATEMENT,
    [JSON.stringify(executions), JSON.stringify(steps), JSON.stringify(events)],
    'duet_write_changes',
  );
  const written = new Map((row?.executions ?? []).map((r) => [r.id as string, executionFromJson(r)]));
  const byExecution = new Map<string, StoredEvent[]>();
  for (const e of row?.events ?? []) {
    const event = eventFromJson(e);
    byExecution.set(event.executionId, [...(byExecution.get(event.executionId) ?? []), event]);
  }
  // Each caller gets its own slice of its execution's events, in submission order.
  const taken = new Map<string, number>();
  return items.map((item) => {
    const execution = written.get(item.executionId);
    if (!execution) return item.unlessStatus ? null : new Error(`execution ${item.executionId} vanished`);
    const from = taken.get(item.executionId) ?? 0;
    taken.set(item.executionId, from + item.change.events.length);
    return {
      execution,
      events: (byExecution.get(item.executionId) ?? []).slice(from, from + item.change.events.length),
    };
  });
}

interface EventJson {
  execution_id: string;
  offset: number;
  type: string;
  node_id: string | null;
  payload: unknown;
  at: string;
}

function eventFromJson(e: EventJson): StoredEvent {
  return {
    executionId: e.execution_id,
    offset: Number(e.offset),
    type: e.type,
    nodeId: e.node_id ?? null,
    data: e.payload,
    at: new Date(e.at),
  } as StoredEvent;
}

/** camelCase fields → the recordset's snake_case columns; dates as ISO text. */
function snake(values: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v instanceof Date ? v.toISOString() : v]),
  );
}
