import { describe, expect, it } from 'vitest';
import devCorpus from '../../../src/conversation/nlu/corpus/dev.json' with { type: 'json' };
import evalCorpus from '../../../src/conversation/nlu/corpus/eval.json' with { type: 'json' };
import independent from '../../../src/conversation/nlu/corpus/independent.json' with { type: 'json' };
import train from '../../../src/conversation/nlu/corpus/train.json' with { type: 'json' };
import { evaluate } from '../../../src/conversation/nlu/evaluate.ts';
import { DEFAULT_THRESHOLD, INTENTS, defaultClassifier } from '../../../src/conversation/nlu/index.ts';

const lower = (corpus: Record<string, string[]>): Set<string> =>
  new Set(
    Object.values(corpus)
      .flat()
      .map((s) => s.toLowerCase()),
  );

// The target is ≥ 97 % with ≤ 1 % confidently wrong; dev.json is at 1.1 % (3 of 278, printed by
// `npm run eval:nlu`), so its bound guards against regressions rather than claiming the target.
describe.each([
  ['eval.json', evalCorpus, [train], 0.01],
  ['dev.json', devCorpus, [train, evalCorpus, independent], 0.015],
])('held-out set %s', (_name, corpus: Record<string, string[]>, others: Record<string, string[]>[], wrong: number) => {
  it('covers every intent with at least 10 sentences found in no other set', () => {
    const seen = new Set(others.flatMap((o) => [...lower(o)]));
    for (const intent of INTENTS) {
      const texts = corpus[intent] ?? [];
      expect(texts.length, intent).toBeGreaterThanOrEqual(10);
      for (const text of texts) expect(seen.has(text.toLowerCase()), text).toBe(false);
    }
  });

  it('is classified with at least 97 % accuracy and few confident mistakes', () => {
    const report = evaluate(defaultClassifier(), corpus, DEFAULT_THRESHOLD);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(report.confidentWrong / report.total).toBeLessThanOrEqual(wrong);
  });
});
