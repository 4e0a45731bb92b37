import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DocumentError, mediaTypeOf, parseDocument } from '../../../src/knowledge/parse/index.ts';

const fixture = (name: string) => readFile(new URL(`../../fixtures/knowledge/${name}`, import.meta.url));
const parse = async (name: string) => parseDocument(await fixture(name), mediaTypeOf(name, undefined)!);
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('parsed'),
    (error: unknown) => {
      expect(error).toBeInstanceOf(DocumentError);
      return error as DocumentError;
    },
  );

describe('document parsers on real sample files', () => {
  it('reads plain text and Markdown as they are', async () => {
    expect(await parse('notes.txt')).toContain('The front desk closes at noon on Fridays.');
    const markdown = await parse('handbook.md');
    expect(markdown).toContain('### Exceptions\n\nGift cards are never refunded.');
  });

  it('reads HTML without scripts, styles, navigation or link targets, headings as #', async () => {
    const text = await parse('faq.html');
    expect(text).toContain('# Shipping FAQ');
    expect(text).toContain('## International');
    expect(text).toContain('Orders ship within two business days.');
    expect(text).toContain('See the rates');
    expect(text).not.toMatch(/alert|color|example\.com|Home/);
  });

  it('reads a PDF page by page, each under its page heading', async () => {
    const text = await parse('handbook.pdf');
    expect(text).toMatch(/^# Page 1\n\nEmployee Handbook/);
    expect(text).toContain('Gift cards are never refunded.');
    expect(text).toMatch(/# Page 2\n\nHolidays[\s\S]*25 days of paid leave/);
  });

  it('reads a DOCX with its headings', async () => {
    const text = await parse('travel-policy.docx');
    expect(text).toContain('# Travel policy');
    expect(text).toContain('## Expenses');
    expect(text).toContain('Keep every receipt; claims without receipts are refused.');
  });

  it('reads CSV rows and JSON records as paragraphs of named fields', async () => {
    expect(await parse('products.csv')).toBe(
      'sku: A-1\nname: Blue kettle\nprice: 29.90\nnotes: Boils in 3 minutes, "quiet" mode\n\nsku: B-2\nname: Red toaster\nprice: 19.50',
    );
    expect(await parse('stores.json')).toBe(
      'city: Lisbon\naddress.street: Rua Augusta 1\nopen[0]: Mon\nopen[1]: Tue\n\ncity: Porto\naddress.street: Rua de Santa Catarina 2',
    );
  });

  it('says why a corrupt, binary, empty or unknown document cannot be read', async () => {
    expect((await failure(parse('corrupt.pdf'))).reason).toBe('unreadable');
    expect((await failure(parse('corrupt.docx'))).message).toMatch(/DOCX cannot be read/);
    expect((await failure(parseDocument(Buffer.from([0x66, 0, 0x67]), 'text/plain'))).message).toMatch(/binary/);
    expect((await failure(parseDocument(Buffer.from([0xff, 0xfe, 0xfd]), 'text/plain'))).message).toMatch(/UTF-8/);
    expect((await failure(parseDocument(Buffer.from(' \n\n'), 'text/markdown'))).message).toMatch(/no text/);
    expect((await failure(parseDocument(Buffer.from('{"a":'), 'application/json'))).message).toMatch(/JSON/);
    expect((await failure(parseDocument(Buffer.from('x'), 'image/png'))).reason).toBe('unsupported');
    expect(mediaTypeOf('photo.png', 'image/png')).toBeUndefined();
    expect(mediaTypeOf('README', 'text/markdown; charset=utf-8')).toBe('text/markdown');
    expect(mediaTypeOf('notes.md', 'application/octet-stream')).toBe('text/markdown');
  });
});
