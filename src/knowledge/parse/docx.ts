import mammoth from 'mammoth';
import { unreadable } from './errors.ts';
import { htmlToText } from './html.ts';

/** Word documents through mammoth's HTML, which keeps headings, lists and tables as structure. */
export async function docxToText(bytes: Uint8Array): Promise<string> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(bytes) })).value;
  } catch (error) {
    throw unreadable(`the DOCX cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  return htmlToText(html);
}
