import { allowedCommands, type Command } from '../../../src/model/commands.ts';
import type { Execution } from '../lib/types.ts';

export type { Command };

/** Nodes whose latest attempt failed: the targets of retry and skip after a failure. */
export function failedNodes(execution: Execution): string[] {
  const latest = new Map<string, { attempt: number; status: string }>();
  for (const step of execution.steps ?? []) {
    const seen = latest.get(step.nodeId);
    if (!seen || step.attempt >= seen.attempt) latest.set(step.nodeId, { attempt: step.attempt, status: step.status });
  }
  return [...latest].filter(([, s]) => s.status === 'failed').map(([id]) => id);
}

/** The buttons to enable, from the same rule the server enforces (src/model/commands.ts). */
export function enabledCommands(execution: Execution | null): ReadonlySet<Command> {
  if (!execution) return new Set();
  return new Set(
    allowedCommands({ status: execution.status, waiting: execution.waiting, failedNodes: failedNodes(execution) }),
  );
}

/** The step a retry or skip acts on: the failed one, else the one waited on. */
export function commandTarget(execution: Execution): string | null {
  return failedNodes(execution)[0] ?? execution.waiting?.nodeId ?? null;
}
