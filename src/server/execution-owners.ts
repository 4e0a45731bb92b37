import type { ExecutionStore } from '../store/executions.ts';

export interface ExecutionOwner {
  workspaceId: string;
  workflowId: string;
}

const MAX_CACHED = 10_000;

/**
 * Which workspace and workflow an execution belongs to, for fanning its events out to `workspace:<id>`
 * rooms. Owners never change, so a bounded cache (oldest entry out first) saves a query per event.
 */
export class ExecutionOwners {
  private readonly cache = new Map<string, ExecutionOwner>();

  constructor(
    private readonly executions: Pick<ExecutionStore, 'get'>,
    private readonly maxCached = MAX_CACHED,
  ) {}

  async of(executionId: string): Promise<ExecutionOwner | null> {
    const cached = this.cache.get(executionId);
    if (cached) return cached;
    const row = await this.executions.get(executionId);
    if (!row) return null;
    const owner = { workspaceId: row.workspaceId, workflowId: row.workflowId };
    if (this.cache.size >= this.maxCached) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(executionId, owner);
    return owner;
  }
}
