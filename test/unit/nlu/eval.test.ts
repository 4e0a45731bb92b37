import { describe, expect, it } from 'vitest';
import evalCorpus from '../../../src/conversation/nlu/corpus/eval.json' with { type: 'json' };
import train from '../../../src/conversation/nlu/corpus/train.json' with { type: 'json' };
import { evaluate } from '../../../src/conversation/nlu/evaluate.ts';
import { DEFAULT_THRESHOLD, INTENTS, defaultClassifier } from '../../../src/conversation/nlu/index.ts';

describe('evaluation corpus', () => {
  it('covers every intent with at least 10 sentences not in training', () => {
    const seen = new Set(
      Object.values(train)
        .flat()
        .map((s) => s.toLowerCase()),
    );
    for (const intent of INTENTS) {
      const texts = (evalCorpus as Record<string, string[]>)[intent] ?? [];
      expect(texts.length, intent).toBeGreaterThanOrEqual(10);
      for (const text of texts) expect(seen.has(text.toLowerCase()), text).toBe(false);
    }
  });

  it('is classified with at least 95 % accuracy', () => {
    const report = evaluate(defaultClassifier(), evalCorpus, DEFAULT_THRESHOLD);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.95);
  });
});
