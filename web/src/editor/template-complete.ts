import type { InputSchema } from '../../../src/model/input-schema.ts';

export interface Completion {
  from: number;
  to: number;
  options: string[];
}

export interface CompletionContext {
  inputs?: InputSchema;
  /** Ids of the other steps (the block being edited cannot read its own output). */
  stepIds: string[];
}

const MAX_OPTIONS = 20;
const ROOTS = ['input', 'steps', 'vars', 'execution', 'env', 'secrets'];

/**
 * Suggestions for the word before the cursor when it sits inside an open `{{ … }}`:
 * roots, `input.<field>`, `steps.<id>` and `steps.<id>.output`. Pure, so the panel and tests share it.
 */
export function completeTemplate(text: string, cursor: number, context: CompletionContext): Completion | null {
  const before = text.slice(0, cursor);
  const open = before.lastIndexOf('{{');
  if (open < 0 || before.lastIndexOf('}}') > open) return null;
  const word = /[A-Za-z_][\w.]*$|$/.exec(before)![0];
  const from = cursor - word.length;
  const parts = word.split('.');
  let candidates: string[];
  if (parts.length === 1) candidates = ROOTS;
  else if (parts[0] === 'input' && parts.length === 2)
    candidates = Object.keys(context.inputs?.properties ?? {}).map((f) => `input.${f}`);
  else if (parts[0] === 'steps' && parts.length === 2) candidates = context.stepIds.map((id) => `steps.${id}.output`);
  else if (parts[0] === 'steps' && parts.length === 3) candidates = [`steps.${parts[1]}.output`];
  else candidates = [];
  const options = candidates.filter((c) => c.startsWith(word) && c !== word).slice(0, MAX_OPTIONS);
  return options.length > 0 ? { from, to: cursor, options } : null;
}

/** The text after picking an option, and where the cursor goes. */
export function applyCompletion(
  text: string,
  completion: Completion,
  option: string,
): { text: string; cursor: number } {
  const next = text.slice(0, completion.from) + option + text.slice(completion.to);
  return { text: next, cursor: completion.from + option.length };
}
