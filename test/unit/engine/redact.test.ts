import { describe, expect, it } from 'vitest';
import { redactChange, SecretValues } from '../../../src/engine/redact.ts';
import type { Change } from '../../../src/store/executions.ts';

describe('SecretValues', () => {
  const values = new SecretValues();
  values.add('TOKEN', 'tok"en/+ 1\n');
  values.add('SHORTER', 'abc');

  it('replaces a value and its encoded forms wherever a string holds them, keys included', () => {
    const out = values.redact({
      header: 'Bearer tok"en/+ 1\n',
      trimmed: 'Bearer tok"en/+ 1',
      json: '{"auth":"tok\\"en/+ 1\\n"}',
      url: `https://x.test/?k=${encodeURIComponent('tok"en/+ 1\n')}&f=${new URLSearchParams({ f: 'tok"en/+ 1\n' }).toString().slice(2)}`,
      base64: Buffer.from('tok"en/+ 1\n').toString('base64'),
      list: ['abc', 'xabcx', 42, null, true],
      'tok"en/+ 1': 'as a key',
    });
    expect(out).toEqual({
      header: 'Bearer [secret:TOKEN]',
      trimmed: 'Bearer [secret:TOKEN]',
      json: '{"auth":"[secret:TOKEN]"}',
      url: 'https://x.test/?k=[secret:TOKEN]&f=[secret:TOKEN]',
      base64: '[secret:TOKEN]',
      list: ['[secret:SHORTER]', 'x[secret:SHORTER]x', 42, null, true],
      '[secret:TOKEN]': 'as a key',
    });
  });

  it('leaves dates and values alone when nothing is known, and does not change its input', () => {
    const input = { at: new Date(0), text: 'abc' };
    const out = values.redact(input);
    expect(out.at).toBe(input.at);
    expect(input.text).toBe('abc');
    expect(new SecretValues().redact(input)).toBe(input);
  });
});

describe('redactChange', () => {
  it('redacts step inputs (credential fields too), outputs, errors, event data and the execution', () => {
    const values = new SecretValues();
    values.add('API', 's3cr3t-value');
    const finishedAt = new Date();
    // Errors cut down to their message: only what redaction must rewrite.
    const change = redactChange(
      {
        execution: { status: 'failed', error: { message: 'step "a" failed: echo s3cr3t-value' } },
        steps: [
          {
            nodeId: 'a',
            attempt: 1,
            status: 'failed',
            finishedAt,
            input: { Authorization: 'Bearer x', url: 'https://h/?k=s3cr3t-value' },
            output: null,
            error: { message: 'answered s3cr3t-value' },
          },
        ],
        events: [{ type: 'step.failed', nodeId: 'a', data: { error: { message: 's3cr3t-value' } } }],
      } as Change,
      values,
    );
    expect(JSON.stringify(change)).not.toContain('s3cr3t-value');
    expect(change.steps![0]).toMatchObject({
      finishedAt,
      input: { Authorization: '[redacted]', url: 'https://h/?k=[secret:API]' },
      error: { message: 'answered [secret:API]' },
    });
    expect(change.events[0]!.data).toEqual({ error: { message: '[secret:API]' } });
    expect(change.execution!.error).toEqual({ message: 'step "a" failed: echo [secret:API]' });
  });

  it('writes no input field that was not given', () => {
    const change = redactChange(
      { steps: [{ nodeId: 'a', attempt: 1, status: 'retry' }], events: [] },
      new SecretValues(),
    );
    expect(change.steps![0]).not.toHaveProperty('input');
  });
});
