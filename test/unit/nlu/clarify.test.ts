import { describe, expect, it } from 'vitest';
import { INTENTS, understand } from '../../../src/conversation/nlu/index.ts';

describe('low confidence', () => {
  it('answers unknown with a clarifying question for gibberish', () => {
    const result = understand('blorp zzkx');
    expect(result.intent).toBe('unknown');
    expect(result.clarify?.question).toMatch(/\?|understand/);
    expect(result.clarify?.options.length).toBeGreaterThan(0);
  });

  it('asks which of the likely intents was meant instead of acting', () => {
    const result = understand('pause or cancel?', undefined, { threshold: 0.999 });
    expect(result.intent).toBe('unknown');
    expect(result.clarify?.options).toEqual(expect.arrayContaining(['pause', 'cancel']));
    expect(result.clarify?.question).toMatch(/^Do you want to .*pause the execution.* or .*\?$/);
    for (const option of result.clarify?.options ?? []) expect(INTENTS).toContain(option);
  });

  it('does not treat a sentence without any value as an answer to an expected field', () => {
    const context = { workflows: [], steps: [], inputFields: [{ name: 'amount', type: 'number' }] };
    expect(understand('the weather is nice', context).intent).toBe('unknown');
    expect(understand('the amount is 40', context).intent).toBe('provide-input');
  });

  it('gives no clarification when confident', () => {
    expect(understand('list my workflows').clarify).toBeUndefined();
  });
});
