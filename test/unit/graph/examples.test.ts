import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateGraph } from '../../../src/graph/validate.ts';

const dir = new URL('../../../examples/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('examples/', () => {
  it('holds the documented examples', () => {
    expect(files).toEqual(
      expect.arrayContaining(['batch-notify.json', 'lead-enrichment.json', 'onboarding.json', 'refund-request.json']),
    );
  });

  it.each(files)('%s is a valid workflow', (file) => {
    const result = validateGraph(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
    expect(result.problems).toEqual([]);
    expect(result.graph?.nodes.length).toBeGreaterThan(1);
  });
});
