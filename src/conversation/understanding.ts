import type { IntentOrUnknown } from './nlu/intents.ts';

/** What the dialogue needs from NLU about one message; `nlu/` produces it, tests may build it by hand. */
export interface Understanding {
  intent: IntentOrUnknown;
  confidence: number;
  /** Set when the intent is unclear: a question and the likely options. */
  clarify?: { question: string; options: string[] };
  workflow?: { id: string; slug: string; name: string };
  step?: { id: string; name: string };
  /** Values for input fields: `amount=40`, "amount is 40", typed to the field. */
  values: Record<string, unknown>;
  /** Bare numbers ("40 euros"), for a numeric input the message did not name. */
  numbers: number[];
  yesNo?: 'yes' | 'no';
}

export interface NluContext {
  workflows: Array<{ id: string; slug: string; name: string }>;
  steps: Array<{ id: string; name: string }>;
  inputFields: Array<{ name: string; type: string }>;
}

/** Offline understanding answers at once; an LLM fallback may take a network round trip. */
export type Understand = (text: string, context: NluContext) => Understanding | Promise<Understanding>;
