import type { ExecutionRow } from '../store/executions.ts';

/** Enough for a full in-process queue; beyond it a run simply reads its row. */
const MAX_ROWS = 10_000;

/**
 * Rows of executions this process just created, handed to their first run so it does not read back what was
 * just written. A command on the execution (pause, cancel) drops its row: the run then reads the fresh one.
 */
export class CreatedRows {
  private readonly rows = new Map<string, ExecutionRow>();

  constructor(private readonly capacity = MAX_ROWS) {}

  put(row: ExecutionRow): void {
    if (this.capacity === 0) return;
    if (this.rows.size >= this.capacity) this.rows.delete(this.rows.keys().next().value!);
    this.rows.set(row.id, row);
  }

  /** The row, once: later runs read the database. */
  take(id: string): ExecutionRow | undefined {
    const row = this.rows.get(id);
    this.rows.delete(id);
    return row;
  }

  drop(id: string): void {
    this.rows.delete(id);
  }
}
