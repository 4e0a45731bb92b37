import type { LanguageModel } from 'ai';
import { askOnce } from './ask-once.ts';

/** The plain commands the personal assistant's offline reader understands; the model restates into one of them. */
const COMMANDS = [
  'remind me to <task> <when>',
  'add <task>',
  'list my tasks',
  "what's on <day>",
  'done with <task>',
  'snooze <task> for <duration>',
];

/**
 * Asks a language model to restate a freely worded message to the personal assistant as one plain command (times
 * stay in the person's words, so they are still read in their time zone). Null when the model says it is none of
 * them or answers with more than one line; provider errors and the timeout are thrown to the caller.
 */
export async function rephraseForAssistant(
  model: LanguageModel,
  text: string,
  timeoutMs: number,
): Promise<string | null> {
  const system = [
    'You restate one message a person sent to their task assistant as exactly one of these commands:',
    ...COMMANDS.map((c) => `- ${c}`),
    'Keep dates and times in the words the person used ("tomorrow at 9", "on Friday", "in an hour").',
    'Answer with the command only, one line, no quotes; answer "unknown" if it is none of them.',
  ].join('\n');
  const answer = (await askOnce(model, system, text, timeoutMs)).trim().replace(/^["']|["']$/g, '');
  if (answer === '' || answer.includes('\n') || answer.length > 500 || /^unknown$/i.test(answer)) return null;
  return answer;
}
