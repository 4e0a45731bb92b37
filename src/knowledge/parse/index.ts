import { csvToText } from './csv.ts';
import { docxToText } from './docx.ts';
import { DocumentError, unreadable } from './errors.ts';
import { htmlToText } from './html.ts';
import { jsonToText } from './json.ts';
import { pdfToText } from './pdf.ts';
import { decodeText } from './text.ts';

export { DocumentError } from './errors.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The formats Duet reads, each to light Markdown text (see chunk.ts). */
const PARSERS: Record<string, (bytes: Uint8Array) => string | Promise<string>> = {
  'text/plain': decodeText,
  // Markdown is already in the shape the chunker reads.
  'text/markdown': decodeText,
  'text/html': (bytes) => htmlToText(decodeText(bytes)),
  'application/pdf': pdfToText,
  [DOCX]: docxToText,
  'text/csv': (bytes) => csvToText(decodeText(bytes)),
  'application/json': (bytes) => jsonToText(decodeText(bytes)),
};

const BY_EXTENSION: Record<string, string> = {
  txt: 'text/plain',
  text: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  html: 'text/html',
  htm: 'text/html',
  pdf: 'application/pdf',
  docx: DOCX,
  csv: 'text/csv',
  json: 'application/json',
};

export const SUPPORTED_EXTENSIONS = Object.keys(BY_EXTENSION);

/**
 * The media type to parse a document as: from the file name's extension when Duet knows it (clients often
 * declare application/octet-stream), else from the declared type; `undefined` when neither is known (415).
 */
export function mediaTypeOf(fileName: string | undefined, declared: string | undefined): string | undefined {
  const extension = fileName?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (extension && extension in BY_EXTENSION) return BY_EXTENSION[extension];
  const type = declared?.split(';')[0]?.trim().toLowerCase();
  if (type === 'text/x-markdown') return 'text/markdown';
  return type && type in PARSERS ? type : undefined;
}

/** The document's text; a DocumentError says why it cannot be read (corrupt, unsupported, or nothing in it). */
export async function parseDocument(bytes: Uint8Array, mediaType: string): Promise<string> {
  const parse = PARSERS[mediaType];
  if (!parse) throw new DocumentError('unsupported', `${mediaType} documents are not supported`);
  const text = await parse(bytes);
  if (text.trim() === '') throw unreadable('the document has no text');
  return text;
}
