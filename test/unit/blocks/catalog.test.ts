import { describe, expect, it } from 'vitest';
import { BLOCKS } from '../../../src/engine/blocks/index.ts';
import { BLOCK_CATALOG, BLOCK_TYPES, blockDescriptor, defaultBlockConfig } from '../../../src/model/blocks.ts';
import { PALETTE } from '../../../web/src/editor/block-catalog.ts';

describe('block catalog', () => {
  it('has a runner for every entry and no runner without an entry', () => {
    expect(Object.keys(BLOCKS).sort()).toEqual(Object.keys(BLOCK_CATALOG).sort());
    for (const type of BLOCK_TYPES) expect(BLOCKS[type], type).toBeTypeOf('function');
  });

  it('gives every block a default config that its own config schema accepts', () => {
    for (const type of BLOCK_TYPES) {
      const { configSchema, defaultConfig } = blockDescriptor(type);
      expect(configSchema.safeParse(defaultConfig).error, type).toBeUndefined();
      expect(defaultBlockConfig(type), type).toEqual(defaultConfig);
    }
  });

  it('hands out a fresh default config each time, so editing one block leaves the next one alone', () => {
    const first = defaultBlockConfig('router') as { routes: Array<{ name: string }> };
    first.routes[0]!.name = 'changed';
    expect(defaultBlockConfig('router')).toEqual({ routes: [{ name: 'a', expression: 'true' }] });
  });

  it('is exactly what the editor palette lists, in catalog order and with catalog labels', () => {
    expect(PALETTE.map((entry) => [entry.type, entry.label, entry.description])).toEqual(
      BLOCK_TYPES.map((type) => [type, BLOCK_CATALOG[type].label, BLOCK_CATALOG[type].description]),
    );
  });

  it('marks only the blocks that neither call out, wait nor start children as free of outside effects', () => {
    const pure = BLOCK_TYPES.filter((type) => blockDescriptor(type).effects === 'none');
    expect(pure.sort()).toEqual(['condition', 'function', 'response', 'router', 'start']);
  });
});
