import type { ChatAnswer } from '../lib/types.ts';

/** Intents that change the draft (built on the conversation side); the canvas reloads the draft after them. */
export const EDITING_INTENTS: ReadonlySet<string> = new Set([
  'add-block', 'remove-block', 'connect-blocks', 'disconnect-blocks', 'rename-block', 'configure-block', 'move-block',
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
export const MAX_SHOWN_TURNS = 200;
