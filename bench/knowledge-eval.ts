/**
 * The knowledge retrieval evaluation set (eval/knowledge/, see its README) and how a ranking is scored against it.
 * A hit is relevant when its text holds one of the question's quoted spans — whole, or at least half of it cut at a
 * chunk boundary — so any chunker can be scored, not only the one the questions were written beside.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface EvalQuestion {
  id: string;
  question: string;
  /** Files (without .md) the relevant spans are in. */
  documents: string[];
  /** Quoted passages; a hit holding any of them answers the question. */
  relevant: string[];
}

export interface EvalSet {
  documents: Array<{ name: string; text: string }>;
  questions: EvalQuestion[];
}

const ROOT = new URL('../eval/knowledge/', import.meta.url);

/** The evaluation set, or with `dev` the separate development set (the only one any setting may be tuned on). */
export function loadEvalSet(dev = false): EvalSet {
  const base = dev ? new URL('dev/', ROOT) : ROOT;
  const folder = new URL('documents/', base);
  const documents = readdirSync(folder)
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => ({ name: file.slice(0, -3), text: readFileSync(new URL(file, folder), 'utf8') }));
  const { questions } = JSON.parse(readFileSync(new URL('questions.json', base), 'utf8')) as {
    questions: EvalQuestion[];
  };
  return { documents, questions };
}

const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();

export function isRelevant(hitText: string, question: EvalQuestion): boolean {
  const hit = squash(hitText);
  return question.relevant.some((quoted) => {
    const span = squash(quoted);
    if (hit.includes(span)) return true;
    for (let length = span.length - 1; length >= Math.ceil(span.length / 2); length--)
      if (hit.includes(span.slice(0, length)) || hit.includes(span.slice(span.length - length))) return true;
    return false;
  });
}

export interface Quality {
  recallAt5: number;
  mrr: number;
  /** Questions with no relevant hit in the top 5. */
  misses: string[];
}

/** Recall@5 (a relevant hit among the first five) and mean reciprocal rank of the first relevant hit (top 10). */
export function score(questions: EvalQuestion[], rankings: string[][]): Quality {
  let found = 0;
  let reciprocal = 0;
  const misses: string[] = [];
  questions.forEach((question, i) => {
    const rank = rankings[i]!.slice(0, 10).findIndex((text) => isRelevant(text, question));
    if (rank >= 0) reciprocal += 1 / (rank + 1);
    if (rank >= 0 && rank < 5) found++;
    else misses.push(question.id);
  });
  return { recallAt5: found / questions.length, mrr: reciprocal / questions.length, misses };
}
