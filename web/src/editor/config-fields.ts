import { z } from 'zod';
import { blockConfigSchemas, type BlockType } from '../../../src/model/blocks.ts';

/** How a config field is edited: templates get autocompletion, code a monospace area, the rest plain controls. */
export type FieldKind =
  | 'template'
  | 'code'
  | 'expression'
  | 'number'
  | 'select'
  | 'boolean'
  | 'json'
  /** A knowledge base of the workspace, picked from a list. */
  | 'knowledge-base';

export interface ConfigField {
  key: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  options?: string[];
  multiline?: boolean;
  hint?: string;
}

type JsonSchema = {
  type?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  default?: unknown;
};

const EXPRESSION_KEYS = new Set(['expression', 'items']);
const MULTILINE_KEYS = new Set(['prompt', 'system', 'code', 'text']);
const LABELS: Record<string, string> = {
  timeoutMs: 'Timeout (ms)',
  durationMs: 'Duration (ms)',
  maxIterations: 'Max iterations',
  workflowId: 'Workflow (id or slug)',
  url: 'URL',
  to: 'To (phone number, URL or conversation id)',
  code: 'Code',
  retry: 'Retry',
  until: 'Until (ISO time or template)',
  apiKey: 'API key (a secret: {{secrets.NAME}})',
  knowledgeBaseId: 'Knowledge base',
  k: 'Passages (k)',
};
/** Shared fields come last so each block's own fields lead the form. */
const COMMON_KEYS = ['retry', 'timeoutMs'];

/**
 * The form for a block type, generated from its zod config schema (via JSON Schema). Anything that is not a
 * plain scalar (objects, arrays, free JSON) is edited as JSON.
 */
export function configFields(type: BlockType): ConfigField[] {
  const schema = z.toJSONSchema(blockConfigSchemas[type], { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  // A union (wait: durationMs | until) shows every field; the validator says which combination is wrong.
  const branches = schema.anyOf ?? [schema];
  const properties: Record<string, JsonSchema> = Object.assign({}, ...branches.map((b) => b.properties ?? {}));
  const required = branches.length === 1 ? new Set(branches[0]!.required ?? []) : new Set<string>();
  const keys = Object.keys(properties).sort(
    (a, b) => Number(COMMON_KEYS.includes(a)) - Number(COMMON_KEYS.includes(b)),
  );
  return keys.map((key) => {
    const property = properties[key]!;
    return { key, label: LABELS[key] ?? humanize(key), required: required.has(key), ...kindOf(key, property) };
  });
}

function kindOf(key: string, property: JsonSchema): Pick<ConfigField, 'kind' | 'options' | 'multiline' | 'hint'> {
  if (property.enum) return { kind: 'select', options: property.enum.map(String) };
  if (key === 'knowledgeBaseId')
    return { kind: 'knowledge-base', hint: 'Add and search documents on the Knowledge page' };
  if (key === 'code')
    return {
      kind: 'code',
      multiline: true,
      hint: 'Body of an async function; input, steps, vars, execution are in scope. Return JSON.',
    };
  if (EXPRESSION_KEYS.has(key)) return { kind: 'expression', hint: 'A JSONata expression over input, steps, vars' };
  if (property.type === 'string')
    return { kind: 'template', multiline: MULTILINE_KEYS.has(key), hint: 'Use {{input.…}} or {{steps.<id>.output…}}' };
  if (property.type === 'integer' || property.type === 'number') return { kind: 'number' };
  if (property.type === 'boolean') return { kind: 'boolean' };
  return { kind: 'json', multiline: true, hint: 'JSON; strings may hold {{templates}}' };
}

const humanize = (key: string) => key.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());

/** Reads a form control's text back into a config value; `undefined` removes the field, `error` keeps the text for fixing. */
export function parseFieldValue(field: ConfigField, text: string): { value: unknown } | { error: string } {
  if (text.trim() === '' && field.kind !== 'template' && field.kind !== 'code') return { value: undefined };
  switch (field.kind) {
    case 'number': {
      const n = Number(text);
      return Number.isFinite(n) ? { value: n } : { error: `${field.label} must be a number` };
    }
    case 'boolean':
      return { value: text === 'true' };
    case 'json':
      try {
        return { value: JSON.parse(text) };
      } catch {
        return { error: `${field.label} is not valid JSON yet` };
      }
    default:
      return { value: text === '' && !field.required ? undefined : text };
  }
}

/** The text a control shows for a config value. */
export function formatFieldValue(field: ConfigField, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (field.kind === 'json') return JSON.stringify(value, null, 2);
  return String(value);
}
