// Entity extraction: which workflow and steps a message names, and the values it carries.
import { extractFieldValues, type FieldValue, type InputField } from './fields.ts';
import { fuzzyFind } from './fuzzy.ts';
import { extractDates, extractNumbers, extractQuoted, extractYesNo } from './values.ts';

export interface WorkflowRef {
  id: string;
  slug: string;
  name: string;
}

export interface StepRef {
  id: string;
  name: string;
}

export interface EntityContext {
  workflows: WorkflowRef[];
  steps: StepRef[];
  inputFields: InputField[];
}

export interface Entities {
  workflow?: WorkflowRef & { score: number };
  /** The best-matching step. */
  step?: StepRef & { score: number };
  /** All steps named, in the order they appear ("connect fetch to notify" → fetch, notify). */
  steps: (StepRef & { score: number })[];
  numbers: number[];
  /** ISO days (YYYY-MM-DD). */
  dates: string[];
  yesNo?: 'yes' | 'no';
  values: Record<string, FieldValue>;
  quoted: string[];
}

export const EMPTY_CONTEXT: EntityContext = { workflows: [], steps: [], inputFields: [] };

export function extractEntities(text: string, context: EntityContext, now: Date): Entities {
  const workflows = fuzzyFind(text, context.workflows, (w) => [w.name, w.slug]);
  const steps = fuzzyFind(text, context.steps, (s) => [s.name, s.id]);
  const entities: Entities = {
    steps: [...steps].sort((a, b) => a.position - b.position).map((m) => ({ ...m.item, score: m.score })),
    numbers: extractNumbers(text),
    dates: extractDates(text, now),
    values: extractFieldValues(text, context.inputFields),
    quoted: extractQuoted(text),
  };
  const [workflow] = workflows;
  if (workflow) entities.workflow = { ...workflow.item, score: workflow.score };
  const [step] = steps;
  if (step) entities.step = { ...step.item, score: step.score };
  const yesNo = extractYesNo(text);
  if (yesNo) entities.yesNo = yesNo;
  return entities;
}
