import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createInternalEmbedder } from '../../../src/knowledge/embedding/internal.ts';
import { tokenize } from '../../../src/knowledge/embedding/sif.ts';

const embedder = createInternalEmbedder();
afterAll(() => embedder.close());

const cosine = (a: Float32Array, b: Float32Array): number => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

// Each pair says the same thing in other words; the third sentence is about something else.
const TRIPLES: Array<[string, string, string]> = [
  ['The cat rested on the carpet.', 'A kitten slept on the rug.', 'Quarterly tax returns are due in April.'],
  [
    'How do I get my money back for an order?',
    'Refunds are issued to the original payment card within ten days.',
    'The volcano erupted and covered the village in ash.',
  ],
  [
    'The doctor prescribed antibiotics for the infection.',
    'The physician gave the patient medicine against bacteria.',
    'The orchestra played a symphony by Beethoven.',
  ],
  [
    'Reset your password from the login page.',
    'Forgot your credentials? Change the account passcode when signing in.',
    'Wheat harvests fell because of the drought.',
  ],
  [
    'The ship sailed across the stormy ocean.',
    'A vessel crossed the rough sea during a gale.',
    'She baked bread with flour, yeast and salt.',
  ],
];

describe('the offline embedder', () => {
  it('says which model it is and gives one unit vector of its dimensions per text', async () => {
    expect(embedder.id).toBe('internal:wv100-sif-1');
    const vectors = await embedder.embed(['first text about trains', 'second about boats'], 'document');
    expect(vectors).toHaveLength(2);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(embedder.dimensions);
      expect(Math.sqrt(cosine(v, v))).toBeCloseTo(1, 5);
    }
  });

  it('is deterministic, across calls and for documents and queries alike', async () => {
    const text = 'Employees accrue vacation days every month.';
    const [a] = await embedder.embed([text], 'document');
    const [b] = await embedder.embed([text], 'query');
    const [c] = await embedder.embed(['other text', text], 'document').then((v) => v.slice(1));
    expect([...b!]).toEqual([...a!]);
    expect([...c!]).toEqual([...a!]);
  });

  it('puts sentences that mean the same closer than unrelated ones', async () => {
    for (const [text, paraphrase, unrelated] of TRIPLES) {
      const [a, b, c] = await embedder.embed([text, paraphrase, unrelated], 'document');
      expect(cosine(a!, b!), `"${text}" vs "${paraphrase}" / "${unrelated}"`).toBeGreaterThan(cosine(a!, c!) + 0.1);
    }
  });

  it('ignores unknown words, folds case and accents, and embeds text with no known word as zeros', async () => {
    const [plain, noisy, cased, none, empty] = await embedder.embed(
      [
        'the river flooded the town',
        'the river flooded the town qzxv blorptang',
        'THE RIVER FLOODED THE TOWN',
        'qzxv blorptang',
        '',
      ],
      'document',
    );
    expect(cosine(plain!, noisy!)).toBeCloseTo(1, 5);
    expect(cosine(plain!, cased!)).toBeCloseTo(1, 5);
    expect([...none!].every((x) => x === 0)).toBe(true);
    expect([...empty!].every((x) => x === 0)).toBe(true);
    expect(await embedder.embed([], 'query')).toEqual([]);
  });

  it('works again after being closed, and serves concurrent calls in order', async () => {
    await embedder.close();
    const texts = ['apples and pears', 'trains and buses', 'rain and snow'];
    const results = await Promise.all(texts.map((t) => embedder.embed([t], 'query')));
    const together = await embedder.embed(texts, 'query');
    results.forEach(([v], i) => expect([...v!]).toEqual([...together[i]!]));
  });
});

describe('a process that uses the offline embedder', () => {
  it('exits by itself once its calls are answered (the idle worker does not hold it open)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'duet-embed-'));
    try {
      const script = join(dir, 'embed-once.mts');
      const entry = new URL('../../../src/knowledge/embedding/internal.ts', import.meta.url).href;
      await writeFile(
        script,
        `import { createInternalEmbedder } from ${JSON.stringify(entry)};\n` +
          `const [v] = await createInternalEmbedder().embed(['rivers and lakes'], 'query');\n` +
          `console.log('dimensions', v.length);\n`,
      );
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
        cwd: process.cwd(),
        timeout: 60_000,
      });
      expect(stdout.trim()).toBe('dimensions 100');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('tokenize', () => {
  it('keeps lower-cased words and numbers and folds accents', () => {
    expect(tokenize("Café déjà-vu: the 3 Musketeers' 1844 novel, isn't it?")).toEqual([
      'cafe',
      'deja',
      'vu',
      'the',
      '3',
      'musketeers',
      '1844',
      'novel',
      'isn',
      'it',
    ]);
  });
});
