import { describe, expect, it } from 'vitest';
import { coerceAnswer, expectation } from '../../../src/conversation/coerce.ts';

describe('reading free-text answers as typed values', () => {
  it('reads numbers out of words, with thousands separators and signs', () => {
    expect(coerceAnswer({ type: 'number' }, '40 euros')).toBe(40);
    expect(coerceAnswer({ type: 'number' }, 'about 1,250.5')).toBe(1250.5);
    expect(coerceAnswer({ type: 'integer' }, '-3')).toBe(-3);
    expect(coerceAnswer({ type: 'number' }, 'a lot')).toBeUndefined();
  });

  it('reads yes/no as booleans and nothing else', () => {
    expect(coerceAnswer({ type: 'boolean' }, 'Yes')).toBe(true);
    expect(coerceAnswer({ type: 'boolean' }, 'nope')).toBe(false);
    expect(coerceAnswer({ type: 'boolean' }, 'maybe')).toBeUndefined();
  });

  it('matches enum options case-insensitively, also inside a sentence', () => {
    const team = { type: 'string' as const, enum: ['engineering', 'sales'] };
    expect(coerceAnswer(team, 'Sales')).toBe('sales');
    expect(coerceAnswer(team, 'they join engineering')).toBe('engineering');
    expect(coerceAnswer(team, 'marketing')).toBeUndefined();
  });

  it('splits lists and types their items', () => {
    expect(coerceAnswer({ type: 'array', items: { type: 'number' } }, '1, 2 and 3')).toEqual([1, 2, 3]);
    expect(coerceAnswer({ type: 'array' }, 'a; b')).toEqual(['a', 'b']);
  });

  it('keeps text as written, without surrounding quotes', () => {
    expect(coerceAnswer({ type: 'string' }, ' "A-17" ')).toBe('A-17');
    expect(coerceAnswer({ type: 'string' }, '   ')).toBeUndefined();
  });

  it('says what is expected for each kind of field', () => {
    expect(expectation({ type: 'number' })).toBe('a number');
    expect(expectation({ type: 'string', enum: ['a', 'b'] })).toBe('one of: a, b');
    expect(expectation({ type: 'string', format: 'email' })).toBe('a valid email');
  });
});
