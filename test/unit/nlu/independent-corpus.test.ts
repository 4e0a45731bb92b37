// The independent evaluation set (corpus/INDEPENDENT.md) stays complete and stays out of the training data:
// a message copied into train.json would make its score measure memory instead of understanding.
import { describe, expect, it } from 'vitest';
import independent from '../../../src/conversation/nlu/corpus/independent.json' with { type: 'json' };
import outOfScope from '../../../src/conversation/nlu/corpus/independent-out-of-scope.json' with { type: 'json' };
import train from '../../../src/conversation/nlu/corpus/train.json' with { type: 'json' };
import teamEval from '../../../src/conversation/nlu/corpus/eval.json' with { type: 'json' };
import { INTENTS } from '../../../src/conversation/nlu/intents.ts';

const MAX_CHAT_MESSAGE = 1000;
const normal = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim();
const all = Object.values(independent).flat();
const teamTexts = new Set([...Object.values(train), ...Object.values(teamEval)].flat().map(normal));

describe('independent NLU evaluation set', () => {
  it('covers every intent with at least 20 messages, and nothing else', () => {
    expect(Object.keys(independent).sort()).toEqual([...INTENTS].sort());
    for (const [intent, texts] of Object.entries(independent)) expect(texts.length, intent).toBeGreaterThanOrEqual(20);
    expect(all.length).toBeGreaterThanOrEqual(460);
  });

  it('has no message twice, and each fits in one chat message', () => {
    const texts = [...all, ...outOfScope].map(normal);
    expect(texts.filter((t, i) => texts.indexOf(t) !== i)).toEqual([]);
    for (const text of texts) expect(text.length, text).toBeGreaterThan(0);
    for (const text of texts) expect(text.length, text).toBeLessThanOrEqual(MAX_CHAT_MESSAGE);
  });

  // One- and two-word commands ("pause", "approve it") may coincide with the team's corpora by nature; anything
  // longer found there was copied, in one direction or the other.
  it("shares no message of three words or more with the team's training or evaluation corpus", () => {
    const longer = [...all, ...outOfScope].map(normal).filter((t) => t.split(' ').length >= 3);
    expect(longer.filter((t) => teamTexts.has(t))).toEqual([]);
  });
});
