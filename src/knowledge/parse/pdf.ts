import { extractText, getDocumentProxy } from 'unpdf';
import { unreadable } from './errors.ts';

/** The text of each page under a `# Page n` heading, so a hit cites its page. */
export async function pdfToText(bytes: Uint8Array): Promise<string> {
  let pages: string[];
  try {
    // pdf.js takes ownership of the buffer it is given: hand it a copy.
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    pages = (await extractText(pdf, { mergePages: false })).text;
  } catch (error) {
    throw unreadable(`the PDF cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  return pages.map((page, i) => `# Page ${i + 1}\n\n${page.trim()}`).join('\n\n');
}
