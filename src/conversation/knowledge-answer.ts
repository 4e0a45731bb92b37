// Pure: an answer put together from the passages a search returned, with their sources (no model needed).
import type { Citation, KnowledgeHit } from '../model/knowledge-hits.ts';

const MAX_SENTENCES = 3;
const MAX_ANSWER_CHARS = 700;
/** Passages read for sentences: the best few; lower ones add noise more often than facts. */
const PASSAGES_READ = 3;
const STOPWORDS = new Set(
  (
    'the a an and or of to in on for with about what which who whom how does do did is are was were be been our ' +
    'your my we you they it its this that these those there say says said tell me please can could would should ' +
    'handbook docs documentation documents knowledge base policy according search find look up any anything'
  ).split(' '),
);

export interface GroundedAnswer {
  text: string;
  /** The sources the text cites, each once, in number order. */
  cited: Citation[];
}

/** Content words of a text, lowercased and lightly stemmed, so "refunds" meets "refund" and "refunded". */
export function terms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((w) => w.length > 2 && !STOPWORDS.has(w))
    .map((w) => w.replace(/(?:ing|ed|es|s)$/, ''))
    .filter((w) => w.length > 1);
}

function sentences(text: string): string[] {
  return text
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s+(?=[\p{Lu}\d"“(])/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * The sentences of the best passages that share most words with the question, in passage order, each followed by
 * the number of its passage, then the list of those sources. Without a shared word, the best passage's opening.
 */
export function extractiveAnswer(
  question: string,
  knowledgeBaseName: string,
  hits: readonly KnowledgeHit[],
  citations: readonly Citation[],
): GroundedAnswer {
  if (hits.length === 0) return { text: `I found nothing about that in "${knowledgeBaseName}".`, cited: [] };
  const wanted = new Set(terms(question));
  const scored = hits.slice(0, PASSAGES_READ).flatMap((hit, rank) =>
    sentences(hit.text).map((sentence, position) => {
      const shared = new Set(terms(sentence).filter((t) => wanted.has(t))).size;
      return { sentence, rank, position, score: shared - rank * 0.1 };
    }),
  );
  const matching = scored.filter((s) => s.score > 0).sort((a, b) => b.score - a.score);
  const chosen = (matching.length ? matching : scored.filter((s) => s.rank === 0)).slice(0, MAX_SENTENCES);
  chosen.sort((a, b) => a.rank - b.rank || a.position - b.position);
  let used = 0;
  const parts: string[] = [];
  const refs = new Set<number>();
  for (const s of chosen) {
    if (parts.length > 0 && used + s.sentence.length > MAX_ANSWER_CHARS) break;
    const ref = citations[s.rank]!.ref;
    parts.push(`${s.sentence.slice(0, MAX_ANSWER_CHARS)} [${ref}]`);
    refs.add(ref);
    used += s.sentence.length;
  }
  const cited = citations.filter((c) => refs.has(c.ref));
  return { text: `From "${knowledgeBaseName}": ${parts.join(' ')}\n${sourcesLine(cited)}`, cited };
}

/** "Sources: [1] Handbook › Refunds; [2] FAQ". */
export function sourcesLine(cited: readonly Citation[]): string {
  return `Sources: ${cited.map((c) => `[${c.ref}] ${c.label}`).join('; ')}`;
}
