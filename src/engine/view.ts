import type { WorkflowGraph } from '../model/graph.ts';
import type { ExecutionView, StepView } from '../model/views.ts';
import type { ExecutionRow, StepRunRow } from '../store/executions.ts';
import { latestAttempts } from './steps.ts';

const DONE = new Set(['completed', 'skipped', 'pruned', 'failed']);

/** The execution resource of the API contract (`ExecutionView`), built from its row and step attempts. */
export function executionView(row: ExecutionRow, steps: StepRunRow[], graph: WorkflowGraph | null): ExecutionView {
  const types = new Map(graph?.nodes.map((n) => [n.id, n.type]) ?? []);
  const latest = latestAttempts(steps);
  const scopeNodes = graph?.nodes.filter((n) => n.parentId === (row.scope ?? undefined)) ?? [];
  const finished = scopeNodes.filter((n) => DONE.has(latest.get(n.id)?.status ?? '')).length;
  const progress =
    row.status === 'completed' ? 100 : scopeNodes.length === 0 ? 0 : Math.floor((finished / scopeNodes.length) * 100);
  return {
    id: row.id,
    workflowId: row.workflowId,
    version: row.version,
    status: row.status,
    mode: row.mode,
    pausePoints: row.pausePoints,
    waiting: row.waiting,
    input: row.input,
    output: row.output,
    error: row.error,
    currentNodeIds: [...latest.values()]
      .filter((s) => s.status === 'running' || s.status === 'waiting')
      .map((s) => s.nodeId),
    progress,
    parentExecutionId: row.parentExecutionId,
    steps: steps
      .filter((s) => s.status !== 'retry')
      .map((s): StepView => ({
        nodeId: s.nodeId,
        type: types.get(s.nodeId) ?? null,
        status: s.status,
        attempt: s.attempt,
        input: s.input,
        output: s.output,
        handle: s.handle,
        error: s.error,
        startedAt: s.startedAt,
        finishedAt: s.finishedAt,
      })),
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}
