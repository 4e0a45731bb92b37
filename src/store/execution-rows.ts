import type { EventInput } from '../model/events.ts';
import type { executions, stepRuns } from './schema.ts';

export type ExecutionRow = typeof executions.$inferSelect;
export type StepRunRow = typeof stepRuns.$inferSelect;
export type NewExecution = typeof executions.$inferInsert;

export type StepWrite = Pick<StepRunRow, 'nodeId' | 'attempt' | 'status'> &
  Partial<Pick<StepRunRow, 'input' | 'output' | 'handle' | 'error' | 'startedAt' | 'finishedAt'>>;

/** Everything one state change writes; `ExecutionStore.commit` applies it in one transaction. */
export interface Change {
  execution?: Partial<
    Pick<ExecutionRow, 'status' | 'waiting' | 'output' | 'error' | 'startedAt' | 'finishedAt' | 'wakeAt' | 'deadlineAt'>
  >;
  /** Step attempts to insert, or to update when the (node, attempt) row exists. */
  steps?: StepWrite[];
  events: EventInput[];
}
