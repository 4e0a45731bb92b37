import type { ConversationStore } from '../store/conversations.ts';
import type { LiveTurns } from './live-turns.ts';

/**
 * Posts a message from a workflow (a `notify` step) into a live conversation of the workspace: stored as an
 * assistant turn, then shown to whoever has the conversation open. An unknown or expired one is not_found.
 */
export function postToConversation(store: ConversationStore, turns: LiveTurns) {
  return async (workspaceId: string, conversationId: string, text: string): Promise<void> => {
    await store.get(workspaceId, conversationId);
    await store.append(conversationId, [{ role: 'assistant', text, intent: 'notify' }], {});
    turns.push({ conversationId, role: 'assistant', text, intent: 'notify' });
  };
}
