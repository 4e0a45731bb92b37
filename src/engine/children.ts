import type { ExecutionRow, StepRunRow } from '../store/executions.ts';
import type { ChildSpec } from './blocks/types.ts';
import { TERMINAL } from './commands.ts';
import type { StepFailure } from './errors.ts';
import { announce, type EngineRuntime } from './runtime.ts';
import { waitingFor } from './steps.ts';

export type ChildrenResult =
  | { kind: 'pending' }
  | { kind: 'completed'; output: unknown }
  | { kind: 'failed'; failure: StepFailure };

/**
 * Creates the next children of a loop/parallel/subworkflow step, up to its concurrency. Creation is
 * idempotent (unique parent+node+iteration), so a step re-run after a crash never doubles a child.
 */
export async function spawnChildren(rt: EngineRuntime, parent: ExecutionRow, nodeId: string, step: StepRunRow): Promise<void> {
  const plan = waitingFor(step)?.children;
  if (!plan) return;
  const existing = await rt.store.children(parent.id, nodeId);
  const running = existing.filter((c) => !TERMINAL.has(c.status)).length;
  const room = Math.max(0, plan.concurrency - running);
  const specs = plan.specs as ChildSpec[];
  for (let iteration = existing.length; iteration < Math.min(specs.length, existing.length + room); iteration++) {
    const spec = specs[iteration]!;
    const target = spec.workflow
      ? await rt.versions.resolve(parent.workspaceId, spec.workflow.workflowId, spec.workflow.version)
      : { workflowId: parent.workflowId, version: parent.version };
    const { execution, event, created } = await rt.store.create({
      workspaceId: parent.workspaceId, workflowId: target.workflowId, version: target.version,
      status: 'queued', mode: 'autonomous', input: spec.input, vars: spec.vars,
      parentExecutionId: parent.id, parentNodeId: nodeId, iteration, scope: spec.scope ?? null,
    }, { type: 'execution.queued', data: { parentExecutionId: parent.id, parentNodeId: nodeId, iteration } });
    if (created) announce(rt, [event]);
    rt.dispatch.enqueue(execution.id);
  }
}

/** Looks at a waiting step's children: all done, one failed, or more to wait for (spawning the next ones). */
export async function checkChildren(rt: EngineRuntime, parent: ExecutionRow, step: StepRunRow): Promise<ChildrenResult> {
  const plan = waitingFor(step)!.children!;
  const children = await rt.store.children(parent.id, step.nodeId);
  const broken = children.find((c) => TERMINAL.has(c.status) && c.status !== 'completed');
  if (broken) {
    const reason = (broken.error as { message?: string } | null)?.message ?? broken.status;
    const which = plan.collect === 'list' ? `iteration ${broken.iteration} (item ${broken.iteration! + 1} of ${plan.total})` : 'the child execution';
    return { kind: 'failed', failure: { code: 'child_failed', retryable: false, message: `${which} ${broken.status}: ${reason}`, details: { executionId: broken.id } } };
  }
  const done = children.filter((c) => c.status === 'completed');
  if (done.length === plan.total) {
    return { kind: 'completed', output: plan.collect === 'list' ? done.map((c) => c.output) : done[0]?.output ?? null };
  }
  if (children.length < plan.total) await spawnChildren(rt, parent, step.nodeId, step);
  return { kind: 'pending' };
}
