// Input values in a message: `key=value` pairs and "amount is 40" / "order A-17" phrases, mapped to input fields.
import { extractYesNo } from './values.ts';

export interface InputField {
  name: string;
  type: string;
}

export type FieldValue = string | number | boolean;

function words(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_\-.]+/)
    .filter(Boolean);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Converts a raw value to the field's type; undefined when it does not fit. */
export function coerce(raw: string, type: string): FieldValue | undefined {
  const value = raw.trim().replace(/^["“']|["”']$/g, '');
  if (value === '') return undefined;
  if (type === 'number' || type === 'integer') {
    const m = /-?\d+(?:\.\d+)?/.exec(value);
    if (!m) return undefined;
    const n = Number(m[0]);
    return type === 'integer' && !Number.isInteger(n) ? undefined : n;
  }
  if (type === 'boolean') {
    const yn = /^(true|false)$/i.test(value) ? value.toLowerCase() === 'true' : extractYesNo(value);
    return yn === undefined ? undefined : yn === true || yn === 'yes';
  }
  return value;
}

/** Finds the field a key names: exact, by its words, or by its first word ("order" → orderId). */
function fieldForKey(key: string, fields: readonly InputField[]): InputField | undefined {
  const k = words(key).join(' ');
  return (
    fields.find((f) => f.name.toLowerCase() === key.toLowerCase()) ?? fields.find((f) => words(f.name).join(' ') === k)
  );
}

// Words that may sit between a field name and its value: "order number is 555", "customer id to 88".
const QUALIFIER = '(?:\\s+(?:id|number|no|code|name|nr))?';
const CONNECTOR = '\\s*(?:\\bis\\b|\\bwas\\b|\\bshould be\\b|\\bwill be\\b|=|:|\\bto\\b|\\bof\\b)\\s*';

export function extractFieldValues(text: string, fields: readonly InputField[]): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = {};
  for (const m of text.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*("[^"]*"|[^\s,;]+)/g)) {
    const field = fieldForKey(m[1]!, fields);
    const value = field && coerce(m[2]!, field.type);
    if (field && value !== undefined) values[field.name] = value;
  }
  for (const field of fields) {
    if (field.name in values) continue;
    const w = words(field.name);
    const phrases = [w.join('\\s+'), ...(w.length > 1 ? [escape(w[0]!)] : [])];
    for (const phrase of phrases) {
      const value = valueAfter(text, phrase, field.type);
      if (value !== undefined) {
        values[field.name] = value;
        break;
      }
    }
  }
  return values;
}

function valueAfter(text: string, phrase: string, type: string): FieldValue | undefined {
  const numeric = type === 'number' || type === 'integer';
  // With a connector ("reason is damaged item") the value runs to the end of the clause; without, it is one token.
  const withConnector = new RegExp(
    `\\b${phrase}${QUALIFIER}${CONNECTOR}(${numeric ? '-?\\d+(?:\\.\\d+)?' : '"[^"]*"|[^,;]+?'})(?=\\s*(?:[,;]|\\band\\b|$|\\s+(?:euros?|dollars?|usd|eur)\\b))`,
    'i',
  );
  const bare = new RegExp(
    `\\b${phrase}${QUALIFIER}\\s+(${numeric ? '-?\\d+(?:\\.\\d+)?' : '[A-Za-z]*[-#]?\\d[\\w-]*|"[^"]*"'})(?![\\w.])`,
    'i',
  );
  for (const re of [withConnector, bare]) {
    const m = re.exec(text);
    const value = m ? coerce(m[1]!, type) : undefined;
    if (value !== undefined) return value;
  }
  return undefined;
}
