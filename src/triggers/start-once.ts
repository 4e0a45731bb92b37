import { randomUUID } from 'node:crypto';
import type { ExecutionService } from '../engine/service.ts';
import { DuetError } from '../model/errors.ts';
import type { ExecutionView } from '../model/views.ts';
import { isUniqueViolation, type Trigger, type TriggerStore } from '../store/triggers.ts';

export interface Started {
  execution: ExecutionView;
  /** Whether it ended within the wait. */
  ended: boolean;
  /** Whether an earlier delivery (or another process) had already started it. */
  replayed: boolean;
}

/**
 * Starts the trigger's workflow (its latest published version) once per `key`, across every process: the key is
 * claimed in the database with an execution id chosen beforehand, and the execution is created with that id. A
 * repeat finds the claim and answers with the same execution; a claim whose execution was never created (its
 * process died in between) is completed by whoever comes next, and the id's primary key lets only one create it.
 * A start refused for its input gives the claim back, so a corrected delivery can start.
 */
export async function startOnce(
  deps: { store: TriggerStore; executions: ExecutionService },
  trigger: Trigger,
  key: string,
  input: Record<string, unknown>,
  waitMs = 0,
): Promise<Started> {
  const { store, executions } = deps;
  const { executionId, claimed } = await store.claim(trigger.id, key, randomUUID());
  if (!claimed) {
    const existing = await find(executions, trigger.workspaceId, executionId);
    if (existing) return { execution: existing, ended: false, replayed: true };
  }
  try {
    const started = await executions.startAndWait(
      trigger.workspaceId,
      trigger.workflowId,
      { input, id: executionId },
      waitMs,
    );
    return { ...started, replayed: !claimed };
  } catch (error) {
    if (isUniqueViolation(error)) {
      // Created meanwhile by the delivery or process that claimed it.
      return { execution: await executions.get(trigger.workspaceId, executionId), ended: false, replayed: true };
    }
    if (claimed && error instanceof DuetError) await store.release(trigger.id, key, executionId);
    throw error;
  }
}

async function find(executions: ExecutionService, workspaceId: string, id: string): Promise<ExecutionView | null> {
  try {
    return await executions.get(workspaceId, id);
  } catch (error) {
    if (error instanceof DuetError && error.code === 'not_found') return null;
    throw error;
  }
}
