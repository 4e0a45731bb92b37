// Pure helpers of the Knowledge page: shapes of the API's answers, progress wording, highlighted search terms.
import type { Citation, KnowledgeHit } from '../../../src/model/knowledge-hits.ts';
import type { DocumentView, KnowledgeBaseView } from '../../../src/model/knowledge.ts';

export type { Citation, KnowledgeHit };

export type { SearchMode } from '../../../src/model/knowledge.ts';
export { SEARCH_MODES } from '../../../src/model/knowledge.ts';
/** A base and a document as the API shows them (`src/model/knowledge.ts`). */
export type KnowledgeBase = KnowledgeBaseView;
export type KnowledgeDocument = DocumentView;

/** A document still being ingested: the page keeps polling while one is. */
export function inProgress(doc: Pick<KnowledgeDocument, 'status'>): boolean {
  return doc.status === 'queued' || doc.status === 'parsing' || doc.status === 'embedding';
}

/** "embedding 12 of 40 passages" / "ready · 40 passages" / "failed: <reason>". */
export function progressText(doc: KnowledgeDocument): string {
  switch (doc.status) {
    case 'queued':
      return 'waiting to be read';
    case 'parsing':
      return 'reading the file';
    case 'embedding':
      return doc.progress.chunks > 0
        ? `indexing ${doc.progress.embedded} of ${doc.progress.chunks} passages`
        : 'indexing';
    case 'ready':
      return `${doc.progress.chunks} passage${doc.progress.chunks === 1 ? '' : 's'}`;
    case 'failed':
      return doc.error ?? 'failed';
  }
}

/** 0–100 for a progress bar; null when there is nothing to measure yet. */
export function progressPercent(doc: KnowledgeDocument): number | null {
  if (doc.status === 'ready') return 100;
  const { chunks, embedded } = doc.progress;
  if (doc.status !== 'embedding' || chunks === 0) return null;
  return Math.round((100 * Math.min(embedded, chunks)) / chunks);
}

/** Words of the query worth marking in a hit (three letters or more), longest first so "refunds" beats "refund". */
function queryWords(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? [];
  return [...new Set(words)].sort((a, b) => b.length - a.length);
}

/**
 * The text cut into plain and marked parts: a part is marked when it starts with a query word's stem (a
 * trailing s, es, ed or ing dropped), so "refund" marks "refunds" and "Refunded".
 */
export function highlightParts(text: string, query: string): Array<{ text: string; mark: boolean }> {
  const stems = queryWords(query)
    .map((w) => w.replace(/(?:ing|ed|es|s)$/, ''))
    .filter((w) => w.length >= 3);
  if (stems.length === 0) return [{ text, mark: false }];
  const escaped = stems.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})[\\p{L}\\p{N}]*`, 'giu');
  const parts: Array<{ text: string; mark: boolean }> = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index), mark: false });
    parts.push({ text: match[0], mark: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), mark: false });
  return parts;
}

/** Where a citation leads: its document on the Knowledge page. */
export function citationHref(citation: Pick<Citation, 'knowledgeBaseId' | 'documentId'>): string {
  return `/knowledge/${encodeURIComponent(citation.knowledgeBaseId)}?document=${encodeURIComponent(citation.documentId)}`;
}

/** Citations carried by a value (a knowledge step's or an agent's output, a chat answer's action), if any. */
export function citationsIn(value: unknown): Citation[] {
  if (typeof value !== 'object' || value === null) return [];
  const list = (value as { citations?: unknown }).citations;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (c): c is Citation =>
      typeof c === 'object' &&
      c !== null &&
      typeof (c as Citation).knowledgeBaseId === 'string' &&
      typeof (c as Citation).documentId === 'string' &&
      typeof (c as Citation).ref === 'number',
  );
}

/** "a.pdf, b.md" for the upload button; at most `max` names. */
export function fileNames(files: readonly { name: string }[], max = 3): string {
  const names = files.slice(0, max).map((f) => f.name);
  return files.length > max ? `${names.join(', ')} and ${files.length - max} more` : names.join(', ');
}
