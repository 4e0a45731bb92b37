import type { InputField } from '../model/input-schema.ts';

const YES = /^(y|yes|yeah|yep|sure|ok|okay|true|on|1)$/i;
const NO = /^(n|no|nope|nah|false|off|0)$/i;

/**
 * Reads a person's free-text answer as a value of the field's type ("40 euros" → 40, "yes" → true,
 * "a, b" → ["a","b"]). Returns undefined when nothing fits; the caller then says what is expected. Pure.
 */
export function coerceAnswer(field: InputField, text: string): unknown {
  const answer = text.trim().replace(/^["'](.*)["']$/, '$1');
  if (answer === '') return undefined;
  if (field.type === 'array') {
    const items = answer.split(/\s*(?:,|;|\band\b)\s*/).filter(Boolean);
    return field.items ? items.map((item) => coerceAnswer(field.items!, item) ?? item) : items;
  }
  if (field.enum) {
    const lower = answer.toLowerCase();
    return (
      field.enum.find((option) => String(option).toLowerCase() === lower) ??
      field.enum.find((option) => lower.includes(String(option).toLowerCase()))
    );
  }
  switch (field.type) {
    case 'number':
    case 'integer': {
      const match = answer.replace(/(\d),(\d{3})\b/g, '$1$2').match(/-?\d+(?:\.\d+)?/);
      return match ? Number(match[0]) : undefined;
    }
    case 'boolean':
      return YES.test(answer) ? true : NO.test(answer) ? false : undefined;
    default:
      return answer;
  }
}

/** What to say when an answer does not fit a field. */
export function expectation(field: InputField): string {
  if (field.type === 'array') return 'a list, separated by commas';
  if (field.enum) return `one of: ${field.enum.join(', ')}`;
  if (field.type === 'boolean') return 'yes or no';
  if (field.type === 'integer') return 'a whole number';
  if (field.type === 'number') return 'a number';
  return field.format ? `a valid ${field.format}` : 'some text';
}
