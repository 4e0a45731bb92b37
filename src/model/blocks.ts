import type { z } from 'zod';
import { BLOCK_CATALOG } from './catalog/index.ts';
import type { BlockDescriptor } from './catalog/descriptor.ts';

export { BLOCK_CATALOG };
export type { BlockDescriptor, BlockIcon, JourneyStateKind } from './catalog/descriptor.ts';
export { retrySchema } from './catalog/fields.ts';

type Catalog = typeof BLOCK_CATALOG;
export type BlockType = keyof Catalog;

/** Every block type Duet runs, in catalog (palette) order. */
export const BLOCK_TYPES = Object.keys(BLOCK_CATALOG) as [BlockType, ...BlockType[]];

export function isBlockType(value: unknown): value is BlockType {
  return typeof value === 'string' && Object.hasOwn(BLOCK_CATALOG, value);
}

/** The catalog entry of a type, seen without its own config type (for code that handles every type alike). */
export function blockDescriptor(type: BlockType): BlockDescriptor {
  return BLOCK_CATALOG[type] as BlockDescriptor;
}

/** Containers hold child nodes (`parentId`) that run once per item or branch. */
export const CONTAINER_TYPES: ReadonlySet<BlockType> = new Set(BLOCK_TYPES.filter((t) => blockDescriptor(t).container));

export const blockConfigSchemas = Object.fromEntries(BLOCK_TYPES.map((t) => [t, BLOCK_CATALOG[t].configSchema])) as {
  [T in BlockType]: Catalog[T]['configSchema'];
};

export type BlockConfig<T extends BlockType> = z.infer<(typeof blockConfigSchemas)[T]>;

/**
 * The named outputs a block offers to edges. `null` is the plain "next" output; every block
 * also has `error`, taken when a step finally fails.
 */
export function outputHandles(type: BlockType, config: unknown): Array<string | null> {
  const { outputs, configSchema } = blockDescriptor(type);
  if (!('fromConfig' in outputs)) return [...outputs, 'error'];
  const parsed = configSchema.safeParse(config);
  return parsed.success ? [...outputs.fromConfig(parsed.data), 'error'] : ['error'];
}

/** A valid starting config for a block added from a palette or a chat, ready to be filled in. */
export function defaultBlockConfig(type: BlockType): Record<string, unknown> {
  return structuredClone(BLOCK_CATALOG[type].defaultConfig);
}
