import type { InputField, InputSchema } from '../../../src/model/input-schema.ts';

/** One row of the input-schema form. Arrays are lists of strings; richer schemas are edited as JSON. */
export interface InputRow {
  name: string;
  type: 'string' | 'number' | 'integer' | 'boolean' | 'array';
  description: string;
  required: boolean;
  options: string;
}

export const MAX_INPUT_ROWS = 200;

export function schemaToRows(schema: InputSchema | undefined): InputRow[] {
  if (!schema) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, field]) => ({
    name,
    type: field.type,
    description: field.description ?? '',
    required: required.has(name),
    options: field.type !== 'array' && field.enum ? field.enum.join(', ') : '',
  }));
}

/** Rows back to a schema, keeping whatever else each field had (bounds, defaults) when its type did not change. */
export function rowsToSchema(rows: InputRow[], previous?: InputSchema): InputSchema | undefined {
  if (rows.length === 0) return undefined;
  const properties: Record<string, InputField> = {};
  for (const row of rows.slice(0, MAX_INPUT_ROWS)) {
    if (!row.name) continue;
    const before = previous?.properties[row.name];
    const kept = before && before.type === row.type ? { ...before } : {};
    const field = { ...kept, type: row.type } as Record<string, unknown>;
    if (row.description) field.description = row.description;
    else delete field.description;
    const options = row.options
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    if (row.type !== 'array' && row.type !== 'boolean' && options.length > 0) {
      field.enum = row.type === 'string' ? options : options.map(Number);
    } else delete field.enum;
    if (row.type === 'array' && !field.items) field.items = { type: 'string' };
    properties[row.name] = field as InputField;
  }
  const required = rows.filter((r) => r.required && r.name).map((r) => r.name);
  return { type: 'object', ...(required.length > 0 ? { required } : {}), properties };
}
