import type { Change, ExecutionRow } from '../store/executions.ts';
import { mergeChanges } from '../store/merge-changes.ts';
import { TERMINAL, type ExecutionError, type TerminalStatus } from '../model/execution.ts';
import { nowDate } from './clock.ts';
import { announce, type EngineCore } from './runtime.ts';

/**
 * Ends an execution: final status, output or error, metrics, and a nudge to the parent that spawned
 * it (a loop iteration, a branch, a subworkflow), which then collects the result. `before` is what the run
 * had not written yet (its journal of pure steps, ADR 0009): it is committed in the same statement.
 * Returns the execution as it ends up (unchanged when it had already ended).
 */
export async function finishExecution(
  rt: EngineCore,
  executionId: string,
  status: TerminalStatus,
  output: unknown,
  error: ExecutionError | null,
  before: Change = { events: [] },
): Promise<ExecutionRow> {
  const ending: Change = {
    execution: {
      status,
      output: output ?? null,
      error: error ?? null,
      waiting: null,
      wakeAt: null,
      finishedAt: nowDate(rt.clock),
    },
    events: [
      status === 'completed'
        ? { type: 'execution.completed', data: { output: output ?? null } }
        : { type: `execution.${status}`, data: { error: error! } },
    ],
  };
  // Ending twice (a cancel racing the last step) keeps the first ending.
  const ended = await rt.store.commitUnless(executionId, [...TERMINAL], mergeChanges([before, ending]));
  if (!ended) {
    if (before.events.length === 0 && !before.steps) return (await rt.store.get(executionId))!;
    const kept = await rt.store.commit(executionId, before);
    announce(rt, kept.events);
    return kept.execution;
  }
  const { execution, events } = ended;
  rt.timers.clear(executionId);
  // With the row, so that whoever waits for the end here answers from it without reading it again.
  announce(rt, events, execution);
  rt.nudge(executionId);
  // Loop iterations and branches are parts of one execution; only whole executions are counted.
  if (!execution.scope) {
    rt.metrics.executions.inc({ status, mode: execution.mode });
    if (execution.startedAt)
      rt.metrics.duration.observe({ status }, (rt.clock.now() - execution.startedAt.getTime()) / 1000);
    const fields = {
      executionId,
      workspaceId: execution.workspaceId,
      workflowId: execution.workflowId,
      version: execution.version,
      status,
      mode: execution.mode,
      durationMs: execution.startedAt ? rt.clock.now() - execution.startedAt.getTime() : null,
    };
    if (status === 'completed' || status === 'cancelled') rt.log.info(fields, 'execution ended');
    else rt.log.warn({ ...fields, error: error?.code ?? null }, 'execution ended');
  }
  if (status !== 'completed')
    await cancelChildren(rt, executionId, `the parent execution ${status === 'timed_out' ? 'timed out' : status}`);
  if (execution.parentExecutionId) rt.dispatch.enqueue(execution.parentExecutionId);
  return execution;
}

/** Cancels an execution that has not ended, and everything it spawned. */
export async function cancelTree(rt: EngineCore, executionId: string, reason: string): Promise<void> {
  await finishExecution(rt, executionId, 'cancelled', null, { code: 'cancelled', message: reason });
}

async function cancelChildren(rt: EngineCore, executionId: string, reason: string): Promise<void> {
  for (const child of await rt.store.childrenOf(executionId)) {
    if (!TERMINAL.has(child.status)) await cancelTree(rt, child.id, reason);
  }
}
