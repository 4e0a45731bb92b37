// Offline NLU: intent classification plus entity extraction, with a clarifying question when unsure.
import { IntentClassifier, type Classification, type Scored } from './classifier.ts';
import train from './corpus/train.json' with { type: 'json' };
import { EMPTY_CONTEXT, extractEntities, type Entities, type EntityContext } from './entities.ts';
import { INTENT_PHRASES, type Intent, type IntentOrUnknown } from './intents.ts';

export type { Entities, EntityContext } from './entities.ts';
export type { Intent, IntentOrUnknown } from './intents.ts';
export { INTENTS } from './intents.ts';
export { IntentClassifier } from './classifier.ts';

export interface UnderstandOptions {
  threshold?: number;
  now?: Date;
  classifier?: IntentClassifier;
}

export interface Understanding {
  intent: IntentOrUnknown;
  confidence: number;
  alternatives: Scored[];
  entities: Entities;
  clarify?: { question: string; options: string[] };
}

export const DEFAULT_THRESHOLD = 0.6;
// A clarifying question offers the top two intents, and a third at least this plausible. When even the best guess
// is below it, the message was not understood at all and the question offers the basics instead.
const OPTION_FLOOR = 0.1;
const BASICS: Intent[] = ['start', 'status', 'help'];

let shared: IntentClassifier | undefined;

/** The classifier trained on the bundled corpus, built once on first use. */
export function defaultClassifier(): IntentClassifier {
  shared ??= new IntentClassifier(train);
  return shared;
}

export function understand(
  text: string,
  context: EntityContext = EMPTY_CONTEXT,
  options: UnderstandOptions = {},
): Understanding {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const result = { ...(options.classifier ?? defaultClassifier()).classify(text) };
  const entities = extractEntities(text, context, options.now ?? new Date());
  // "the weather is nice" reads like an answer but carries no value for any expected field: ask instead.
  if (result.intent === 'provide-input' && context.inputFields.length > 0 && !hasValue(entities))
    result.confidence /= 2;
  if (result.confidence >= threshold) {
    return { intent: result.intent, confidence: result.confidence, alternatives: result.alternatives, entities };
  }
  return {
    intent: 'unknown',
    confidence: result.confidence,
    alternatives: ranked(result),
    entities,
    clarify: clarify(result),
  };
}

function hasValue(e: Entities): boolean {
  return Object.keys(e.values).length > 0 || e.numbers.length > 0 || e.dates.length > 0 || e.quoted.length > 0;
}

function ranked(result: Classification): Scored[] {
  return [{ intent: result.intent, confidence: result.confidence }, ...result.alternatives];
}

function clarify(result: Classification): { question: string; options: string[] } {
  if (result.confidence < OPTION_FLOOR)
    return { question: `Sorry, I didn't understand. ${ask(BASICS)}`, options: BASICS };
  const options = ranked(result)
    .filter((s, i) => i < 2 || s.confidence >= OPTION_FLOOR)
    .slice(0, 3)
    .map((s) => s.intent);
  return { question: ask(options), options };
}

function ask(intents: Intent[]): string {
  const phrases = intents.map((intent) => INTENT_PHRASES[intent]);
  const last = phrases.pop();
  return phrases.length === 0 ? `Do you want to ${last}?` : `Do you want to ${phrases.join(', ')} or ${last}?`;
}
