import { describe, expect, it } from 'vitest';
import { waitingQuestion } from '../../../src/conversation/replies.ts';

describe('waitingQuestion', () => {
  it('says when a timed wait ends in words a person reads, not as a raw ISO string', () => {
    const text = waitingQuestion({ reason: 'time', nodeId: 'nap', until: '2026-12-08T14:05:00.000Z' }, null);
    expect(text).toBe('"nap" is waiting until Dec 8, 2026, 2:05 PM UTC.');
  });
});
