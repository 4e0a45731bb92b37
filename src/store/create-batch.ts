import { randomUUID } from 'node:crypto';
import { executionFromJson } from './change-statement.ts';
import type { Database } from './db.ts';
import type { EventInput, StoredEvent } from '../model/events.ts';
import type { ExecutionRow, NewExecution } from './execution-rows.ts';

/** A top-level execution to create with its first event (offset 1). */
export interface CreateItem {
  values: NewExecution;
  event: EventInput;
}

export interface Created {
  execution: ExecutionRow;
  event: StoredEvent;
}

/** Many new executions and their first events in ONE hand-written statement (text fixed, so it is prepared once). */
const STATEMENT = `
with c as (
  select * from json_to_recordset($1::json) as c(id uuid, workspace_id uuid, workflow_id uuid, version int,
    status text, mode text, input json, pause_points jsonb, vars jsonb, type text, node_id text, payload json)
), x as (
  insert into executions (id, workspace_id, workflow_id, version, status, mode, input, pause_points, vars, last_offset)
  select id, workspace_id, workflow_id, version, status, mode, coalesce(input, '{}'::json),
    coalesce(pause_points, '[]'::jsonb), coalesce(vars, '{}'::jsonb), 1 from c
  returning *
), ev as (
  insert into execution_events (execution_id, "offset", type, node_id, payload)
  select id, 1, type, node_id, coalesce(payload, '{}'::json) from c
  returning execution_id, at
)
select (select json_agg(row_to_json(x)) from x) as executions, (select json_agg(ev) from ev) as events`;

export async function createExecutions(db: Database, items: readonly CreateItem[]): Promise<Created[]> {
  const rows = items.map(({ values, event }) => ({
    id: values.id ?? randomUUID(),
    workspace_id: values.workspaceId,
    workflow_id: values.workflowId,
    version: values.version,
    status: values.status,
    mode: values.mode,
    input: values.input,
    pause_points: values.pausePoints,
    vars: values.vars,
    type: event.type,
    node_id: event.nodeId ?? null,
    payload: event.data ?? {},
  }));
  const [row] = await db.query<{
    executions: Array<Record<string, unknown>>;
    events: Array<{ execution_id: string; at: string }>;
  }>(STATEMENT, [JSON.stringify(rows)], 'duet_create_executions');
  const executions = new Map(row!.executions.map((r) => [r.id as string, executionFromJson(r)]));
  const at = new Map(row!.events.map((e) => [e.execution_id, new Date(e.at)]));
  return rows.map((r, i) => ({
    execution: executions.get(r.id)!,
    event: {
      executionId: r.id,
      offset: 1,
      type: r.type,
      nodeId: r.node_id,
      data: items[i]!.event.data ?? {},
      at: at.get(r.id)!,
    } as StoredEvent,
  }));
}
