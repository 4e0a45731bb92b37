import type { ExecutionRow, StepRunRow } from '../store/executions.ts';
import { checkInputValues } from '../model/input-values.ts';
import type { StepFailure } from '../model/step-failure.ts';
import { StepError, type ChildSpec } from './blocks/types.ts';
import { TERMINAL } from '../model/execution.ts';
import { cancelTree } from './finish.ts';
import { announce, type EngineRuntime } from './runtime.ts';
import { waitingFor } from './steps.ts';

export type ChildrenResult =
  { kind: 'pending' } | { kind: 'completed'; output: unknown } | { kind: 'failed'; failure: StepFailure };

/**
 * Creates the next children of a loop/parallel/subworkflow step, up to its concurrency. Creation is
 * idempotent (unique parent+node+iteration), so a step re-run after a crash never doubles a child.
 */
export async function spawnChildren(
  rt: EngineRuntime,
  parent: ExecutionRow,
  nodeId: string,
  step: StepRunRow,
): Promise<void> {
  const plan = waitingFor(step)?.children;
  if (!plan) return;
  const existing = await rt.store.children(parent.id, nodeId, step.attempt);
  const running = existing.filter((c) => !TERMINAL.has(c.status)).length;
  const room = Math.max(0, plan.concurrency - running);
  const specs = plan.specs as ChildSpec[];
  for (let iteration = existing.length; iteration < Math.min(specs.length, existing.length + room); iteration++) {
    const spec = specs[iteration]!;
    const target = spec.workflow
      ? await subworkflowTarget(rt, parent.workspaceId, spec)
      : { workflowId: parent.workflowId, version: parent.version, input: spec.input };
    const { execution, event, created } = await rt.store.create(
      {
        workspaceId: parent.workspaceId,
        workflowId: target.workflowId,
        version: target.version,
        status: 'queued',
        mode: 'autonomous',
        input: target.input,
        vars: spec.vars,
        parentExecutionId: parent.id,
        parentNodeId: nodeId,
        parentAttempt: step.attempt,
        iteration,
        scope: spec.scope ?? null,
      },
      { type: 'execution.queued', data: { parentExecutionId: parent.id, parentNodeId: nodeId, iteration } },
    );
    if (created) announce(rt, [event]);
    rt.dispatch.enqueue(execution.id);
  }
}

/** A subworkflow's published version, with the input checked against its schema like any start. */
async function subworkflowTarget(rt: EngineRuntime, workspaceId: string, spec: ChildSpec) {
  const target = await rt.versions.resolve(workspaceId, spec.workflow!.workflowId, spec.workflow!.version);
  const graph = await rt.versions.graph(workspaceId, target.workflowId, target.version);
  const { values, problems } = checkInputValues(graph.inputs, (spec.input ?? {}) as Record<string, unknown>);
  if (problems.length > 0) {
    throw new StepError(
      `the input for subworkflow "${spec.workflow!.workflowId}" does not fit it: ${problems.map((p) => p.message).join('; ')}`,
      'invalid_input',
      false,
    );
  }
  return { ...target, input: values };
}

/** Looks at a waiting step's children: all done, one failed, or more to wait for (spawning the next ones). */
export async function checkChildren(
  rt: EngineRuntime,
  parent: ExecutionRow,
  step: StepRunRow,
): Promise<ChildrenResult> {
  const plan = waitingFor(step)!.children!;
  const children = await rt.store.children(parent.id, step.nodeId, step.attempt);
  const broken = children.find((c) => TERMINAL.has(c.status) && c.status !== 'completed');
  if (broken) {
    const reason = (broken.error as { message?: string } | null)?.message ?? broken.status;
    const which =
      plan.collect === 'list'
        ? `iteration ${broken.iteration} (item ${broken.iteration! + 1} of ${plan.total})`
        : 'the child execution';
    // One failed iteration fails the step: stop the others instead of letting them run on unseen.
    for (const sibling of children)
      if (!TERMINAL.has(sibling.status)) await cancelTree(rt, sibling.id, 'a sibling iteration failed');
    return {
      kind: 'failed',
      failure: {
        code: 'child_failed',
        retryable: false,
        message: `${which} ${broken.status}: ${reason}`,
        details: { executionId: broken.id },
      },
    };
  }
  const done = children.filter((c) => c.status === 'completed');
  if (done.length === plan.total) {
    return {
      kind: 'completed',
      output: plan.collect === 'list' ? done.map((c) => c.output) : (done[0]?.output ?? null),
    };
  }
  if (children.length < plan.total) await spawnChildren(rt, parent, step.nodeId, step);
  return { kind: 'pending' };
}
