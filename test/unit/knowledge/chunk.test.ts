import { describe, expect, it } from 'vitest';
import { chunkText, type Chunk } from '../../../src/knowledge/chunk.ts';

const HANDBOOK = `# Handbook

Welcome to the company. This handbook says how we work.

## Refunds

Customers may ask for a refund within 30 days of purchase. Refunds go back to the original payment method.
We never refund gift cards.

### Exceptions

Sale items are final.

\`\`\`
refund(order) {
  if (order.days > 30) throw new Error('too late');
}
\`\`\`

## Holidays

Everyone gets 25 days of paid leave. Unused days expire in March.
`;

/** Every non-blank character of the text lies in at least one chunk. */
function uncovered(text: string, chunks: Chunk[]): number[] {
  const covered = new Uint8Array(text.length);
  for (const c of chunks) covered.fill(1, c.start, c.end);
  return [...text].flatMap((ch, i) => (/\s/.test(ch) || covered[i] ? [] : [i]));
}

describe('chunkText', () => {
  it('starts a chunk at each heading and records the heading path for citations', () => {
    const chunks = chunkText(HANDBOOK, { size: 400, overlap: 0 });
    expect(chunks.map((c) => c.headingPath)).toEqual([
      ['Handbook'],
      ['Handbook', 'Refunds'],
      ['Handbook', 'Refunds', 'Exceptions'],
      ['Handbook', 'Holidays'],
    ]);
    expect(chunks[2]!.text).toContain("throw new Error('too late');\n}\n```");
    expect(chunks.map((c) => c.position)).toEqual([0, 1, 2, 3]);
  });

  it('is an exact slice of the text, loses nothing and keeps every chunk within the limit', () => {
    const long = Array.from({ length: 120 }, (_, i) => `Sentence number ${i} talks about refunds and holidays.`);
    const text = `# Policy\n\n${long.slice(0, 60).join(' ')}\n\n## More\n\n${long.slice(60).join('\n')}\n\n${'x'.repeat(700)}`;
    for (const options of [
      { size: 200, overlap: 0 },
      { size: 200, overlap: 50 },
      { size: 1000, overlap: 100 },
    ]) {
      const chunks = chunkText(text, options);
      for (const c of chunks) {
        expect(c.text).toBe(text.slice(c.start, c.end));
        expect(c.text.length).toBeLessThanOrEqual(options.size);
        expect(c.text.trim()).toBe(c.text);
      }
      expect(uncovered(text, chunks)).toEqual([]);
    }
  });

  it('cuts an over-long paragraph at sentence ends and repeats the overlap from a word start', () => {
    const text = 'Alpha beta gamma. Delta epsilon zeta. Eta theta iota. Kappa lambda mu. Nu xi omicron. Pi rho sigma.';
    const chunks = chunkText(text.repeat(2), { size: 80, overlap: 20 });
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks.slice(1)) {
      expect(c.start).toBeLessThan(chunks[c.position - 1]!.end);
      expect(c.text).toMatch(/^[A-Z]|^[a-z]/);
      expect(text.repeat(2)[c.start - 1]).toMatch(/\s/);
    }
    for (const c of chunks.slice(0, -1)) expect(c.text.endsWith('.')).toBe(true);
  });

  it('keeps a code block whole when it fits, and splits one that does not at line ends', () => {
    const code = '```js\n' + Array.from({ length: 40 }, (_, i) => `const value${i} = ${i};`).join('\n') + '\n```';
    const whole = chunkText(`Intro.\n\n${code}`, { size: 2000, overlap: 0 });
    expect(whole).toHaveLength(1);
    const split = chunkText(code, { size: 200, overlap: 0 });
    expect(split.length).toBeGreaterThan(1);
    for (const c of split)
      expect(c.text.split('\n').every((line) => /^(```js|```|const value\d+ = \d+;)$/.test(line))).toBe(true);
  });

  it('returns no chunks for blank text and refuses settings that make no sense', () => {
    expect(chunkText('  \n\n ', { size: 200, overlap: 0 })).toEqual([]);
    expect(() => chunkText('text', { size: 10, overlap: 0 })).toThrow(/at least/);
    expect(() => chunkText('text', { size: 200, overlap: 150 })).toThrow(/overlap/);
  });
});
