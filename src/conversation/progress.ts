import type { StoredEvent } from '../model/events.ts';
import type { ConversationConfig } from './config.ts';

/**
 * The progress line a conversation shows for an execution event, or null when its settings say to stay
 * quiet. Pure: `stepName` and the step's type come from the caller.
 */
export function progressLine(
  event: StoredEvent,
  config: ConversationConfig,
  step: { name: string; type: string } | null,
): string | null {
  const data = (event.data ?? {}) as Record<string, unknown>;
  switch (event.type) {
    case 'step.completed': {
      if (!config.showProgress || config.verbosityLevel === 'minimal' || !step || step.type === 'start') return null;
      const why = config.explainSteps
        ? ` (a ${step.type} step${data.handle ? `, took "${String(data.handle)}"` : ''})`
        : '';
      const detail =
        config.verbosityLevel === 'detailed' && data.output !== undefined
          ? `: ${JSON.stringify(data.output).slice(0, 200)}`
          : '';
      return `✓ ${step.name} done${why}${detail}`;
    }
    case 'step.failed':
      return `✗ ${step?.name ?? event.nodeId} failed: ${(data.error as { message?: string } | undefined)?.message ?? 'unknown error'}`;
    case 'execution.completed':
      return `Finished. Result: ${JSON.stringify(data.output ?? null).slice(0, 500)}`;
    case 'execution.failed':
    case 'execution.timed_out':
      return `The run ${event.type === 'execution.failed' ? 'failed' : 'timed out'}: ${(data.error as { message?: string } | undefined)?.message ?? ''}`;
    default:
      return null;
  }
}
