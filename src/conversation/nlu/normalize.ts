// Text normalisation shared by the classifier and the entity extractor.

/** Lowercase, strip accents and punctuation (keeping intra-word - . = / :), collapse spaces. */
export function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^a-z0-9\s\-.=/:@_]/g, ' ')
    .replace(/(^|\s)[-.=/:]+|[-.=/:]+(?=\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function tokens(text: string): string[] {
  const n = normalize(text);
  return n === '' ? [] : n.split(' ');
}

/** Character n-grams over a padded word: they survive typos that break whole-word matches. */
export function charNgrams(word: string, sizes: readonly number[] = [3, 4]): string[] {
  const padded = `<${word}>`;
  const out: string[] = [];
  for (const n of sizes) {
    for (let i = 0; i + n <= padded.length; i++) out.push(padded.slice(i, i + n));
  }
  return out;
}
