import type { InputField, InputSchema } from './input-schema.ts';
import type { Problem } from './problem.ts';

/** Checks one value against one field; returns what is wrong in words a user can act on, or null. */
export function checkFieldValue(name: string, field: InputField, value: unknown): string | null {
  if (field.type === 'array') {
    if (!Array.isArray(value)) return `${name} must be a list`;
    if (field.minItems !== undefined && value.length < field.minItems)
      return `${name} needs at least ${field.minItems} items`;
    if (field.maxItems !== undefined && value.length > field.maxItems)
      return `${name} takes at most ${field.maxItems} items`;
    if (field.items) {
      for (let i = 0; i < value.length; i++) {
        const wrong = checkFieldValue(`${name}[${i}]`, field.items, value[i]);
        if (wrong) return wrong;
      }
    }
    return null;
  }
  switch (field.type) {
    case 'string':
      if (typeof value !== 'string') return `${name} must be text`;
      if (field.minLength !== undefined && value.length < field.minLength)
        return `${name} needs at least ${field.minLength} characters`;
      if (field.maxLength !== undefined && value.length > field.maxLength)
        return `${name} takes at most ${field.maxLength} characters`;
      if (field.pattern !== undefined && !safeRegex(field.pattern).test(value))
        return `${name} must match ${field.pattern}`;
      if (field.format && !FORMATS[field.format](value)) return `${name} must be a valid ${field.format}`;
      break;
    case 'number':
    case 'integer':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${name} must be a number`;
      if (field.type === 'integer' && !Number.isInteger(value)) return `${name} must be a whole number`;
      if (field.minimum !== undefined && value < field.minimum) return `${name} must be at least ${field.minimum}`;
      if (field.maximum !== undefined && value > field.maximum) return `${name} must be at most ${field.maximum}`;
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return `${name} must be true or false`;
      break;
  }
  if (field.enum && !field.enum.includes(value as string | number)) {
    return `${name} must be one of: ${field.enum.join(', ')}`;
  }
  return null;
}

/**
 * Validates a whole set of values, filling defaults. Unknown keys are refused so that a typo
 * in a field name is caught instead of silently ignored.
 */
export function checkInputValues(
  schema: InputSchema | undefined,
  values: Record<string, unknown>,
): { values: Record<string, unknown>; problems: Problem[] } {
  if (!schema) return { values, problems: [] };
  const problems: Problem[] = [];
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(values)) {
    if (!(key in schema.properties)) {
      problems.push({
        code: 'unknown_input',
        path: key,
        message: `unknown input "${key}"; expected one of: ${Object.keys(schema.properties).join(', ') || '(none)'}`,
      });
    }
  }
  for (const [name, field] of Object.entries(schema.properties)) {
    const value = values[name] ?? field.default;
    if (value === undefined || value === null) {
      if (schema.required?.includes(name)) {
        problems.push({
          code: 'missing_input',
          path: name,
          message: `${name} is required${field.description ? ` (${field.description})` : ''}`,
        });
      }
      continue;
    }
    const wrong = checkFieldValue(name, field, value);
    if (wrong) problems.push({ code: 'invalid_input', path: name, message: wrong });
    else out[name] = value;
  }
  return { values: out, problems };
}

/** A pattern that does not compile never matches, rather than throwing at run time. */
function safeRegex(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return /$^/;
  }
}

const FORMATS: Record<'email' | 'date' | 'date-time' | 'uri', (v: string) => boolean> = {
  email: (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
  date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)),
  'date-time': (v) => /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v)),
  uri: (v) => URL.canParse(v),
};
