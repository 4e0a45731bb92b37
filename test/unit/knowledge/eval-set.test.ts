import { describe, expect, it } from 'vitest';
import { isRelevant, loadEvalSet, score } from '../../../bench/knowledge-eval.ts';

// The evaluation set scores any chunker by quoted spans, so every span must be found, verbatim, where it says.
describe.each([
  ['evaluation', false],
  ['development', true],
])('the knowledge %s set', (_name, dev) => {
  const set = loadEvalSet(dev);

  it('quotes every relevant span from the documents it names', () => {
    const squash = (text: string) => text.replace(/\s+/g, ' ');
    for (const question of set.questions) {
      const texts = question.documents.map((name) => set.documents.find((d) => d.name === name)?.text);
      expect(texts.every(Boolean), `${question.id} names a missing document`).toBe(true);
      for (const span of question.relevant)
        expect(
          texts.some((text) => squash(text!).includes(squash(span))),
          `${question.id}: "${span}"`,
        ).toBe(true);
    }
  });

  it('has unique ids and enough questions and documents', () => {
    const ids = set.questions.map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
    if (!dev) {
      expect(set.questions.length).toBeGreaterThanOrEqual(60);
      expect(new Set(set.questions.flatMap((q) => q.documents)).size).toBeGreaterThanOrEqual(5);
    }
  });
});

describe('scoring', () => {
  const question = { id: 'x', question: '?', documents: [], relevant: ['the quick brown fox jumps over the lazy dog'] };

  it('counts a hit holding the span, or at least half of it cut at a chunk edge', () => {
    expect(isRelevant('Story: the quick  brown fox\njumps over the lazy dog. End.', question)).toBe(true);
    expect(isRelevant('…the quick brown fox jumps', question)).toBe(true);
    expect(isRelevant('fox jumps over the lazy dog. Next paragraph', question)).toBe(true);
    expect(isRelevant('the quick brown', question)).toBe(false);
    expect(isRelevant('a lazy dog slept', question)).toBe(false);
  });

  it('gives recall@5 and the mean reciprocal rank of the first relevant hit', () => {
    const hit = 'the quick brown fox jumps over the lazy dog';
    const result = score([question, question, question], [[hit], ['a', 'b', hit], ['a', 'b', 'c', 'd', 'e', hit]]);
    expect(result.recallAt5).toBeCloseTo(2 / 3);
    expect(result.mrr).toBeCloseTo((1 + 1 / 3 + 1 / 6) / 3);
    expect(result.misses).toEqual(['x']);
  });
});
