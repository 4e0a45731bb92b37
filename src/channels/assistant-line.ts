import type { ExecutionService } from '../engine/service.ts';
import type { AssistantContacts } from '../store/tasks.ts';

/** How long a text waits for the assistant workflow's answer (Twilio gives a webhook 15 s). */
const ANSWER_WAIT_MS = 12_000;

/**
 * Texts from a number the personal assistant serves go to its assistant workflow (input `{message, from}`),
 * whose output `reply` is the answer; other numbers are not the assistant's (null).
 */
export class AssistantLine {
  constructor(
    private readonly contacts: AssistantContacts,
    private readonly executions: Pick<ExecutionService, 'startAndWait'>,
  ) {}

  async answer(workspaceId: string, from: string, message: string): Promise<string | null> {
    const contact = await this.contacts.find(workspaceId, from);
    if (!contact) return null;
    const { ended, execution } = await this.executions.startAndWait(
      workspaceId,
      contact.workflowId,
      { input: { message, from } },
      ANSWER_WAIT_MS,
    );
    const reply = (execution.output as { reply?: unknown } | null)?.reply;
    if (ended && execution.status === 'completed' && typeof reply === 'string') return reply;
    return ended
      ? 'Sorry, something went wrong with that. Please try again.'
      : 'I am still working on that; I will text you when it is done.';
  }
}
