import type { InputField, InputSchema } from '../../../src/model/input-schema.ts';

export type RawValues = Record<string, string | boolean>;

/** Starting form values: each field's default, else empty. */
export function initialValues(schema: InputSchema | undefined): RawValues {
  const values: RawValues = {};
  for (const [name, field] of Object.entries(schema?.properties ?? {})) {
    values[name] =
      field.type === 'boolean'
        ? field.default === true
        : field.default === undefined
          ? ''
          : Array.isArray(field.default)
            ? field.default.join(', ')
            : String(field.default);
  }
  return values;
}

/**
 * Form text to typed input values. Empty optional fields are left out (the server fills defaults); what the
 * form can tell is wrong (a missing required field, a word in a number field) is reported per field; the
 * server checks the rest and its message is shown as it says it.
 */
export function formToValues(
  schema: InputSchema | undefined,
  raw: RawValues,
): { values: Record<string, unknown>; errors: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  const required = new Set(schema?.required ?? []);
  for (const [name, field] of Object.entries(schema?.properties ?? {})) {
    const value = raw[name];
    if (field.type === 'boolean') {
      values[name] = value === true;
      continue;
    }
    const text = typeof value === 'string' ? value.trim() : '';
    if (text === '') {
      if (required.has(name) && field.default === undefined) errors[name] = `${label(name, field)} is required`;
      continue;
    }
    const parsed = parseScalar(field.type === 'array' ? 'array' : field.type, text, field);
    if ('error' in parsed) errors[name] = `${label(name, field)} ${parsed.error}`;
    else values[name] = parsed.value;
  }
  return { values, errors };
}

function parseScalar(type: string, text: string, field: InputField): { value: unknown } | { error: string } {
  if (type === 'array') {
    const itemType = field.type === 'array' ? (field.items?.type ?? 'string') : 'string';
    const items = text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => parseScalar(itemType, s, field));
    const bad = items.find((i) => 'error' in i);
    return bad ?? { value: items.map((i) => (i as { value: unknown }).value) };
  }
  if (type === 'number' || type === 'integer') {
    const n = Number(text);
    if (!Number.isFinite(n)) return { error: 'must be a number' };
    if (type === 'integer' && !Number.isInteger(n)) return { error: 'must be a whole number' };
    return { value: n };
  }
  if (type === 'boolean') return { value: text === 'true' };
  return { value: text };
}

export const label = (name: string, field: InputField) => field.title ?? field.description ?? name;
