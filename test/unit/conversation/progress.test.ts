import { describe, expect, it } from 'vitest';
import { conversationConfigSchema } from '../../../src/conversation/config.ts';
import { progressLine } from '../../../src/conversation/progress.ts';
import type { StoredEvent } from '../../../src/model/events.ts';

const event = (type: StoredEvent['type'], data: object = {}, nodeId: string | null = 'pay') =>
  ({ executionId: 'e', offset: 1, type, nodeId, data, at: new Date() }) as StoredEvent;
const config = (values: object = {}) => conversationConfigSchema.parse(values);
const pay = { name: 'Issue refund', type: 'http' };

describe('progress lines', () => {
  it('reports completed steps unless progress is off or verbosity is minimal', () => {
    expect(progressLine(event('step.completed'), config(), pay)).toBe('✓ Issue refund done');
    expect(progressLine(event('step.completed'), config({ showProgress: false }), pay)).toBeNull();
    expect(progressLine(event('step.completed'), config({ verbosityLevel: 'minimal' }), pay)).toBeNull();
    expect(progressLine(event('step.completed'), config(), { name: 'Start', type: 'start' })).toBeNull();
  });

  it('explains steps and shows outputs when asked to', () => {
    expect(progressLine(event('step.completed', { handle: 'true' }), config({ explainSteps: true }), pay)).toBe(
      '✓ Issue refund done (a http step, took "true")',
    );
    expect(
      progressLine(event('step.completed', { output: { id: 7 } }), config({ verbosityLevel: 'detailed' }), pay),
    ).toBe('✓ Issue refund done: {"id":7}');
  });

  it('always reports failures and the end of the run', () => {
    expect(
      progressLine(event('step.failed', { error: { message: 'boom' } }), config({ showProgress: false }), pay),
    ).toBe('✗ Issue refund failed: boom');
    expect(progressLine(event('execution.completed', { output: 3 }, null), config(), null)).toBe('Finished. Result: 3');
    expect(progressLine(event('execution.timed_out', { error: { message: 'too slow' } }, null), config(), null)).toBe(
      'The run timed out: too slow',
    );
    expect(progressLine(event('step.started'), config(), pay)).toBeNull();
  });
});
