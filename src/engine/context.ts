import type { TemplateContext } from '../graph/templates.ts';
import type { ExecutionRow, StepRunRow } from '../store/executions.ts';

export type StepsView = Record<string, { output: unknown; status: string; attempt: number }>;

/** `steps.<id>` as templates see it: the latest finished attempt of every node. */
export function stepsView(latest: Iterable<StepRunRow>): StepsView {
  const view: StepsView = {};
  for (const row of latest) {
    if (row.status === 'completed' || row.status === 'skipped' || row.status === 'failed') {
      view[row.nodeId] = { output: row.output, status: row.status, attempt: row.attempt };
    }
  }
  return view;
}

/** The data every template of an execution sees; outer steps (for loop/parallel children) come first. */
export function templateContext(
  execution: ExecutionRow,
  steps: StepsView,
  outerSteps: StepsView,
  env: Record<string, string>,
): TemplateContext {
  return {
    input: execution.input as Record<string, unknown>,
    steps: { ...outerSteps, ...steps },
    vars: execution.vars as Record<string, unknown>,
    execution: {
      id: execution.id,
      workflowId: execution.workflowId,
      version: execution.version,
      mode: execution.mode,
      startedAt: execution.startedAt?.toISOString() ?? null,
    },
    env,
  };
}
