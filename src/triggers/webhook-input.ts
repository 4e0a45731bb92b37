import type { InputField, InputSchema } from '../model/input-schema.ts';
import type { Headers } from './signatures.ts';

/** A query or header value as the field's type; a string that does not fit stays a string, so the check names it. */
function typed(field: InputField, value: string | string[]): unknown {
  if (field.type === 'array') {
    const items = Array.isArray(value) ? value : value.split(',');
    return field.items ? items.map((item) => typed(field.items!, item)) : items;
  }
  const text = Array.isArray(value) ? (value[0] ?? '') : value;
  if ((field.type === 'number' || field.type === 'integer') && text.trim() !== '' && Number.isFinite(Number(text)))
    return Number(text);
  if (field.type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/**
 * The workflow input a delivery carries: each field the input schema declares, from the query string, then the
 * body's top-level keys (which win), then the configured headers (`headerFields`: field → header). Everything else
 * a sender puts in its payload is ignored; the input check then reports what is missing or of the wrong type.
 * Without an input schema, the body's keys are the input. Pure.
 */
export function webhookInput(
  schema: InputSchema | undefined,
  delivery: { query: Record<string, string | string[]>; body: unknown; headers: Headers },
  headerFields: Record<string, string>,
): Record<string, unknown> {
  const body =
    delivery.body && typeof delivery.body === 'object' && !Array.isArray(delivery.body)
      ? (delivery.body as Record<string, unknown>)
      : {};
  if (!schema) return body;
  const input: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.properties)) {
    const fromQuery = delivery.query[name];
    if (fromQuery !== undefined) input[name] = typed(field, fromQuery);
    if (Object.hasOwn(body, name)) input[name] = body[name];
    const headerName = headerFields[name];
    const fromHeader = headerName ? delivery.headers[headerName.toLowerCase()] : undefined;
    if (fromHeader !== undefined) input[name] = typed(field, fromHeader);
  }
  return input;
}

/** The value at a dotted path of a JSON body (`event.id`), as a string, when it is a string or a number. */
export function bodyKey(body: unknown, path: string): string | undefined {
  let value: unknown = body;
  for (const part of path.split('.')) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}
