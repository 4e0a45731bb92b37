import type { ConversationConfig } from './config.ts';

// Sentences that suggest what to say next; a direct, concise or minimal conversation leaves them out.
// Quoted examples may hold their own punctuation ("what does it do?").
const HINT = /\s*(?:Say|Try|Or ask|You can also)\b[^.?!"]*(?:"[^"]*"[^.?!"]*)*[.?!]/g;

/**
 * Gives a reply the conversation's voice (personality, communicationStyle, verbosityLevel). The default voice is
 * friendly and conversational; the facts of a reply never change, only the framing around them. Pure.
 */
export function styleReply(text: string, config: ConversationConfig): string {
  let out = text;
  if (
    config.personality === 'concise' ||
    config.communicationStyle === 'direct' ||
    config.verbosityLevel === 'minimal'
  ) {
    const trimmed = out.replace(HINT, '').trim();
    if (trimmed) out = trimmed;
  }
  if (config.personality === 'professional') {
    out = out.replace(/^Hi!/, 'Hello.').replace(/!(?=\s|$)/g, '.');
  }
  return out;
}
