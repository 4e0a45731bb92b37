import type { ChatAnswer, ChatTurn } from '../lib/types.ts';

/** Intents that change the draft (built on the conversation side); the canvas reloads the draft after them. */
export const EDITING_INTENTS: ReadonlySet<string> = new Set([
  'add-block',
  'remove-block',
  'connect-blocks',
  'disconnect-blocks',
  'rename-block',
  'configure-block',
  'move-block',
]);

export function changesDraft(answer: Pick<ChatAnswer, 'intent' | 'action'>): boolean {
  if (EDITING_INTENTS.has(answer.intent)) return true;
  const action = answer.action ? JSON.stringify(answer.action).toLowerCase() : '';
  return action.includes('draft');
}

/** The execution a chat answer is about, so the canvas can follow it. */
export function executionOf(answer: Pick<ChatAnswer, 'action' | 'state'>): string | null {
  return answer.action?.executionId ?? answer.state?.executionId ?? null;
}

export const MAX_MESSAGE_LENGTH = 1000;

/** What to say about a message over the limit (the server's), instead of cutting a paste short; null when it fits. Pure. */
export function tooLongText(message: string): string | null {
  const length = message.trim().length;
  if (length <= MAX_MESSAGE_LENGTH) return null;
  return `This message has ${length.toLocaleString('en')} characters; the chat takes ${MAX_MESSAGE_LENGTH.toLocaleString('en')} at most. Shorten it to send it.`;
}
export const MAX_SHOWN_TURNS = 200;

export type ShownTurn = ChatTurn & { pending?: boolean };

/**
 * Adds a turn from the server. The person's own message is shown as soon as it is sent (pending), because the
 * server announces it only with its reply, after progress lines of the run it started; its echo confirms the
 * pending one instead of showing it twice. Bounded to the last MAX_SHOWN_TURNS. Pure.
 */
export function mergeTurn(turns: ShownTurn[], incoming: ChatTurn): ShownTurn[] {
  if (incoming.role === 'user') {
    const pending = turns.findIndex((t) => t.pending && t.role === 'user' && t.text === incoming.text);
    if (pending >= 0) return turns.map((t, i) => (i === pending ? { ...incoming } : t));
  }
  return [...turns, incoming].slice(-MAX_SHOWN_TURNS);
}

export function addPending(turns: ShownTurn[], text: string): ShownTurn[] {
  return [...turns, { role: 'user' as const, text, pending: true }].slice(-MAX_SHOWN_TURNS);
}
