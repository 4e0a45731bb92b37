import type { WaitingInfo } from './execution.ts';
import type { ExecutionMode } from './graph.ts';

/** What a person or a client can ask of an execution. */
export type Command = 'pause' | 'resume' | 'cancel' | 'retry' | 'skip' | 'input' | 'approve' | 'reject';

export interface CommandState {
  status: string;
  waiting: WaitingInfo | null;
  /** Nodes whose latest attempt failed for good (retry/skip apply to them). */
  failedNodes: string[];
}

/** The commands that make sense now; everything else gets 409 with this list. Pure. */
export function allowedCommands(state: CommandState): Command[] {
  switch (state.status) {
    case 'queued':
    case 'running':
      return ['pause', 'cancel'];
    case 'waiting': {
      const answer: Command[] =
        state.waiting?.reason === 'input'
          ? ['input']
          : state.waiting?.reason === 'approval'
            ? ['approve', 'reject']
            : [];
      return [...answer, 'skip', 'pause', 'cancel'];
    }
    case 'paused':
      return ['resume', 'cancel', ...(state.waiting ? ['skip' as const] : [])];
    case 'failed':
      return state.failedNodes.length > 0 ? ['retry', 'skip'] : [];
    default:
      return [];
  }
}

/** Whether the executor should pause after a step completes. */
export function pausesAfter(mode: ExecutionMode, pausePoints: readonly string[], nodeId: string): boolean {
  return mode === 'step-by-step' || (mode === 'hybrid' && pausePoints.includes(nodeId));
}
