import { describe, expect, it } from 'vitest';
import {
  citationHref,
  citationsIn,
  highlightParts,
  progressPercent,
  progressText,
  type KnowledgeDocument,
} from '../../../web/src/knowledge/knowledge-logic.ts';
import { matchRoute } from '../../../web/src/lib/router.ts';

const doc = (patch: Partial<KnowledgeDocument>): KnowledgeDocument => ({
  id: 'd1',
  knowledgeBaseId: 'kb-1',
  mediaType: 'text/markdown',
  contentHash: 'h',
  bytes: 100,
  version: 1,
  searchable: true,
  createdAt: new Date().toISOString(),
  title: 'Handbook',
  source: 'handbook.md',
  tags: [],
  status: 'ready',
  error: null,
  progress: { chunks: 40, embedded: 40 },
  updatedAt: new Date().toISOString(),
  ...patch,
});

describe('Knowledge page helpers', () => {
  it('marks the query words in a hit, whatever their form or case', () => {
    const marked = highlightParts('Refunds are refunded; a refund takes days.', 'refund policy')
      .filter((p) => p.mark)
      .map((p) => p.text);
    expect(marked).toEqual(['Refunds', 'refunded', 'refund']);
    expect(highlightParts('plain text', 'a')).toEqual([{ text: 'plain text', mark: false }]);
    // Query text is never read as a pattern.
    expect(highlightParts('cost (net)', '(net')).toEqual([
      { text: 'cost (', mark: false },
      { text: 'net', mark: true },
      { text: ')', mark: false },
    ]);
  });

  it('says where a document is in its ingestion', () => {
    expect(progressText(doc({ status: 'embedding', progress: { chunks: 40, embedded: 12 } }))).toBe(
      'indexing 12 of 40 passages',
    );
    expect(progressPercent(doc({ status: 'embedding', progress: { chunks: 40, embedded: 10 } }))).toBe(25);
    expect(progressText(doc({ status: 'failed', error: 'the PDF is encrypted' }))).toBe('the PDF is encrypted');
    expect(progressText(doc({ status: 'ready', progress: { chunks: 1, embedded: 1 } }))).toBe('1 passage');
    expect(progressPercent(doc({ status: 'queued' }))).toBeNull();
  });

  it('links a citation to its document, and finds citations only where they are well formed', () => {
    const citation = {
      ref: 1,
      knowledgeBaseId: 'kb 1',
      documentId: 'd/2',
      chunkId: 'c',
      title: 't',
      headingPath: [],
      label: 't',
    };
    expect(citationHref(citation)).toBe('/knowledge/kb%201?document=d%2F2');
    expect(matchRoute('/knowledge/kb-1', '?document=d2')).toEqual({
      page: 'knowledge-base',
      knowledgeBaseId: 'kb-1',
      documentId: 'd2',
    });
    expect(citationsIn({ text: 'x', citations: [citation, { ref: 'no' }] })).toEqual([citation]);
    expect(citationsIn('text')).toEqual([]);
  });
});
