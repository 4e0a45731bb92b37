import { describe, expect, it } from 'vitest';
import { extractiveAnswer, terms } from '../../../src/conversation/knowledge-answer.ts';
import {
  citationLabel,
  citationsOf,
  citedRefs,
  dropBogusRefs,
  passagesForPrompt,
  type KnowledgeHit,
} from '../../../src/model/knowledge-hits.ts';

const hit = (n: number, title: string, headingPath: string[], text: string): KnowledgeHit => ({
  chunkId: `c${n}`,
  documentId: `d${n}`,
  title,
  headingPath,
  text,
  score: 1 / n,
  offsets: { start: 0, end: text.length },
});

const HITS = [
  hit(
    1,
    'Handbook',
    ['Handbook', 'Refunds'],
    'Customers may ask for a refund within 30 days of purchase. Refunds are paid to the original card within 5 business days. Gift cards are never refunded.',
  ),
  hit(2, 'FAQ', ['Payments'], 'We accept cards and bank transfers. Invoices are sent by email.'),
];
const CITATIONS = citationsOf('kb-1', HITS);

describe('citations', () => {
  it('number the hits in rank order and name them by document title and heading path, the title said once', () => {
    expect(CITATIONS.map((c) => [c.ref, c.label, c.documentId, c.knowledgeBaseId])).toEqual([
      [1, 'Handbook › Refunds', 'd1', 'kb-1'],
      [2, 'FAQ › Payments', 'd2', 'kb-1'],
    ]);
    expect(citationLabel('Guide', [])).toBe('Guide');
  });

  it('an answer cites only retrieved passages: a made-up number is found, and dropped from the text', () => {
    const answer = 'Refunds take 5 business days [1], says the handbook [7].';
    expect(citedRefs(answer, CITATIONS)).toEqual({ cited: [CITATIONS[0]], bogus: [7] });
    expect(dropBogusRefs(answer, CITATIONS)).toBe('Refunds take 5 business days [1], says the handbook.');
  });

  it('a prompt numbers each passage with its source and stays within its size', () => {
    const prompt = passagesForPrompt('Handbook', HITS, CITATIONS, 10_000);
    expect(prompt).toContain('[1] (Handbook › Refunds) Customers may ask');
    expect(prompt).toContain('[2] (FAQ › Payments) We accept cards');
    const small = passagesForPrompt('Handbook', HITS, CITATIONS, 200);
    expect(small).toContain('[1]');
    expect(small).not.toContain('[2]');
  });
});

describe('offline answer from passages', () => {
  it('quotes the sentences that share the question words, each with its source, then lists the sources', () => {
    const answer = extractiveAnswer('how long do refunds take to be paid?', 'Handbook', HITS, CITATIONS);
    expect(answer.text).toContain('Refunds are paid to the original card within 5 business days. [1]');
    expect(answer.text).not.toContain('Invoices');
    expect(answer.text.split('\n').at(-1)).toBe('Sources: [1] Handbook › Refunds');
    expect(answer.cited.map((c) => c.ref)).toEqual([1]);
  });

  it('without a shared word it opens the best passage; without passages it says nothing was found', () => {
    expect(extractiveAnswer('zebra?', 'Handbook', HITS, CITATIONS).text).toMatch(/^From "Handbook": Customers may/);
    expect(extractiveAnswer('refunds', 'Handbook', [], [])).toEqual({
      text: 'I found nothing about that in "Handbook".',
      cited: [],
    });
  });

  it('matches word forms and ignores filler words', () => {
    expect(terms('What does the handbook say about refunds?')).toEqual(['refund']);
    expect(terms('Refunded payments')).toEqual(['refund', 'payment']);
  });
});
