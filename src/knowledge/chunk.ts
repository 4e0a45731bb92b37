/**
 * Cuts a document's text into passages for retrieval, keeping its structure: a heading starts a new chunk, a
 * paragraph or code block is never split unless it alone is over the limit (then at a line, a sentence, a word, in
 * that order), and each chunk knows its position, its heading path and where it sits in the text (offsets), so a
 * hit can be cited. Every chunk is an exact slice of the text; together they cover all of it. Pure.
 *
 * The text is read as light Markdown: `#` headings, fenced code blocks, paragraphs separated by blank lines. The
 * parsers write every format in that shape.
 */

export interface ChunkOptions {
  /** Longest chunk, in characters, overlap included. */
  size: number;
  /** Characters of the previous chunk repeated at the start of the next one within a section (cut at a word). */
  overlap: number;
}

export interface Chunk {
  position: number;
  headingPath: string[];
  text: string;
  /** [start, end) in the document's text; `text` is exactly that slice. */
  start: number;
  end: number;
}

type BlockKind = 'heading' | 'paragraph' | 'code';

interface Block {
  kind: BlockKind;
  start: number;
  end: number;
  /** The headings this block sits under (a heading's path ends with itself). */
  path: string[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;

/** The smallest settings that still make sense; larger ones are the caller's choice (bounded at the edge). */
export const MIN_CHUNK_SIZE = 64;

export function chunkText(text: string, options: ChunkOptions): Chunk[] {
  if (options.size < MIN_CHUNK_SIZE) throw new RangeError(`chunk size must be at least ${MIN_CHUNK_SIZE}`);
  if (options.overlap < 0 || options.overlap * 2 > options.size)
    throw new RangeError('chunk overlap must be between 0 and half the chunk size');
  const limit = options.size - options.overlap;
  const spans = pack(
    blocksOf(text).flatMap((block) => piecesOf(text, block, limit)),
    limit,
  );
  return spans.map((span, position) => {
    const previous = spans[position - 1];
    const start =
      previous && !span.startsWithHeading
        ? overlapStart(text, previous.start, span.start, options.overlap)
        : span.start;
    return { position, headingPath: span.path, text: text.slice(start, span.end), start, end: span.end };
  });
}

/** Splits the text into headings, fenced code blocks and paragraphs, with offsets trimmed of surrounding blanks. */
function blocksOf(text: string): Block[] {
  const blocks: Block[] = [];
  const headings: Array<{ level: number; title: string }> = [];
  const path = () => headings.map((h) => h.title);
  let paragraph: { start: number; end: number } | undefined;
  const endParagraph = () => {
    if (paragraph) blocks.push({ kind: 'paragraph', ...paragraph, path: path() });
    paragraph = undefined;
  };
  let fence: { marker: string; start: number } | undefined;
  let offset = 0;
  for (const line of text.split('\n')) {
    const lineStart = offset;
    const lineEnd = lineStart + line.trimEnd().length;
    offset += line.length + 1;
    if (fence) {
      if (line.trim().startsWith(fence.marker) && line.trim().replace(/[`~]/g, '') === '') {
        blocks.push({ kind: 'code', start: fence.start, end: lineEnd, path: path() });
        fence = undefined;
      }
      continue;
    }
    const opening = FENCE.exec(line);
    if (opening) {
      endParagraph();
      fence = { marker: opening[1]!, start: lineStart + line.length - line.trimStart().length };
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      endParagraph();
      const level = heading[1]!.length;
      while (headings.length > 0 && headings[headings.length - 1]!.level >= level) headings.pop();
      headings.push({ level, title: heading[2]!.trim() });
      blocks.push({
        kind: 'heading',
        start: lineStart + line.length - line.trimStart().length,
        end: lineEnd,
        path: path(),
      });
      continue;
    }
    if (line.trim() === '') {
      endParagraph();
      continue;
    }
    const contentStart = lineStart + line.length - line.trimStart().length;
    paragraph = paragraph ? { start: paragraph.start, end: lineEnd } : { start: contentStart, end: lineEnd };
  }
  endParagraph();
  // An unclosed fence runs to the end of the text.
  if (fence) blocks.push({ kind: 'code', start: fence.start, end: text.trimEnd().length, path: path() });
  return blocks;
}

/** A block no longer than `limit`, or its pieces: cut at the last line break, sentence end or space that fits. */
function piecesOf(text: string, block: Block, limit: number): Block[] {
  const pieces: Block[] = [];
  let from = block.start;
  while (from < block.end) {
    if (block.end - from <= limit) {
      pieces.push({ ...block, start: from });
      break;
    }
    const cut = cutPoint(text, from, from + limit, block.kind === 'code');
    pieces.push({ ...block, start: from, end: trimmedEnd(text, from, cut) });
    from = cut;
    while (from < block.end && /\s/.test(text[from]!)) from++;
  }
  return pieces;
}

/** The best place to end a piece that starts at `from` and may reach `max` (exclusive); always after `from`. */
function cutPoint(text: string, from: number, max: number, code: boolean): number {
  const window = text.slice(from, max);
  const candidates = code ? [/\n/g] : [/\n/g, /[.!?;:](?=\s)/g, /\s/g];
  for (const pattern of candidates) {
    let last = -1;
    for (const match of window.matchAll(pattern)) last = match.index + match[0].length;
    if (last > 0) return from + last;
  }
  return max;
}

function trimmedEnd(text: string, from: number, end: number): number {
  while (end > from + 1 && /\s/.test(text[end - 1]!)) end--;
  return end;
}

interface Span {
  start: number;
  end: number;
  path: string[];
  startsWithHeading: boolean;
}

/** Packs consecutive pieces into spans of at most `limit` characters; a heading always starts a new span. */
function pack(pieces: Block[], limit: number): Span[] {
  const spans: Span[] = [];
  let current: Span | undefined;
  for (const piece of pieces) {
    if (current && (piece.kind === 'heading' || piece.end - current.start > limit)) {
      spans.push(current);
      current = undefined;
    }
    if (current) current.end = piece.end;
    else
      current = { start: piece.start, end: piece.end, path: piece.path, startsWithHeading: piece.kind === 'heading' };
  }
  if (current) spans.push(current);
  return spans;
}

/** Where a chunk's overlap begins: up to `overlap` characters back into the previous chunk, at a word start. */
function overlapStart(text: string, previousStart: number, start: number, overlap: number): number {
  if (overlap === 0) return start;
  let at = Math.max(previousStart, start - overlap);
  if (at > previousStart && !/\s/.test(text[at - 1]!)) {
    while (at < start && !/\s/.test(text[at]!)) at++;
  }
  while (at < start && /\s/.test(text[at]!)) at++;
  return at;
}
