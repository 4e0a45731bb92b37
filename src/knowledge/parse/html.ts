import { convert, type FormatCallback } from 'html-to-text';

/** Headings become `#` lines, so the chunker keeps the document's sections (and DOCX, converted to HTML, too). */
const heading: FormatCallback = (elem, walk, builder) => {
  const level = Number(elem.name?.slice(1)) || 1;
  builder.openBlock({ leadingLineBreaks: 2 });
  builder.addLiteral(`${'#'.repeat(level)} `);
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: 2 });
};

/** The readable text of an HTML page: no scripts, styles, images or link targets; paragraphs apart; headings as `#`. */
export function htmlToText(html: string): string {
  return convert(html, {
    wordwrap: false,
    formatters: { heading },
    selectors: [
      ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, format: 'heading' })),
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'nav', format: 'skip' },
      { selector: 'script', format: 'skip' },
      { selector: 'style', format: 'skip' },
    ],
  });
}
