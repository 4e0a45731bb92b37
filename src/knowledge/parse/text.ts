import { unreadable } from './errors.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 text with line ends made `\n`; a byte order mark is dropped. Not UTF-8, or binary (NUL bytes): refused. */
export function decodeText(bytes: Uint8Array): string {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw unreadable('the file is not UTF-8 text');
  }
  if (text.includes('\u0000')) throw unreadable('the file is binary, not text');
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}
