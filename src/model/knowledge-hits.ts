/**
 * What a knowledge-base search hands to the rest of Duet (the `knowledge` block, the agent, the chat): passages
 * and the citations that point back to their documents. Pure types and functions; the search itself lives in
 * src/knowledge (routes: DESIGN.md "Wave two").
 */

import type { KnowledgeHit } from './knowledge.ts';

export type { KnowledgeHit };

/** Where a passage came from, numbered as an answer cites it: "[1]". */
export interface Citation {
  ref: number;
  knowledgeBaseId: string;
  documentId: string;
  chunkId: string;
  title: string;
  headingPath: string[];
  /** "Handbook › Refunds › Timing": the document title and heading path, as people read it. */
  label: string;
}

export interface KnowledgeQuery {
  q: string;
  k: number;
  tags?: string[];
}

/** Searches a workspace's knowledge bases; an unknown base is a `not_found` DuetError. */
export interface KnowledgeLookup {
  /** A knowledge base of the workspace by id (not_found otherwise). */
  getBase(workspaceId: string, knowledgeBaseId: string): Promise<{ id: string; name: string }>;
  search(
    workspaceId: string,
    knowledgeBaseId: string,
    query: KnowledgeQuery,
  ): Promise<{ name: string; hits: KnowledgeHit[] }>;
}

/** The output of a `knowledge` step; the agent block recognises it by `citations` and `chunks`. */
export interface KnowledgeOutput {
  query: string;
  knowledgeBase: { id: string; name: string };
  chunks: KnowledgeHit[];
  citations: Citation[];
}

export function citationLabel(title: string, headingPath: readonly string[]): string {
  // A document's first heading is often its title again: say it once.
  const path = headingPath[0] === title ? headingPath.slice(1) : headingPath;
  return [title, ...path].join(' › ');
}

/** Numbers the hits 1…n, in rank order. */
export function citationsOf(knowledgeBaseId: string, hits: readonly KnowledgeHit[]): Citation[] {
  return hits.map((hit, i) => ({
    ref: i + 1,
    knowledgeBaseId,
    documentId: hit.documentId,
    chunkId: hit.chunkId,
    title: hit.title,
    headingPath: hit.headingPath,
    label: citationLabel(hit.title, hit.headingPath),
  }));
}

export function isKnowledgeOutput(value: unknown): value is KnowledgeOutput {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<KnowledgeOutput>;
  return Array.isArray(v.chunks) && Array.isArray(v.citations) && typeof v.knowledgeBase?.id === 'string';
}

/**
 * The `[n]` markers of a generated answer, split into those that name a passage that was retrieved and those
 * that do not: an answer may only cite what was retrieved.
 */
export function citedRefs(text: string, citations: readonly Citation[]): { cited: Citation[]; bogus: number[] } {
  const byRef = new Map(citations.map((c) => [c.ref, c]));
  const seen = new Set<number>();
  for (const match of text.matchAll(/\[(\d{1,4})\]/g)) seen.add(Number(match[1]));
  const cited = [...seen].flatMap((ref) => byRef.get(ref) ?? []).sort((a, b) => a.ref - b.ref);
  return { cited, bogus: [...seen].filter((ref) => !byRef.has(ref)) };
}

/** Removes `[n]` markers that name no retrieved passage, so a made-up source is never shown. */
export function dropBogusRefs(text: string, citations: readonly Citation[]): string {
  const known = new Set(citations.map((c) => c.ref));
  return text.replace(/\s?\[(\d{1,4})\]/g, (marker, ref: string) => (known.has(Number(ref)) ? marker : '')).trim();
}

/** Numbered passages for a model's prompt, each with its source, bounded to `maxChars` in all. */
export function passagesForPrompt(
  name: string,
  chunks: readonly KnowledgeHit[],
  citations: readonly Citation[],
  maxChars: number,
): string {
  const lines: string[] = [];
  let used = 0;
  for (const [i, chunk] of chunks.entries()) {
    const citation = citations[i];
    if (!citation) break;
    const line = `[${citation.ref}] (${citation.label}) ${chunk.text.replace(/\s+/g, ' ').trim()}`;
    if (used + line.length > maxChars && lines.length > 0) break;
    lines.push(line.slice(0, maxChars));
    used += line.length;
  }
  return (
    `Passages from the knowledge base "${name}". Answer from them only, cite each fact with its number in ` +
    `brackets, like [1], and cite nothing else:\n${lines.join('\n')}`
  );
}
