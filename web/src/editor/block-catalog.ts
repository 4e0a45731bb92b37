import { BLOCK_CATALOG, BLOCK_TYPES, type BlockIcon, type BlockType } from '../../../src/model/blocks.ts';

/** How the web app draws each icon key of the block catalog. */
const ICONS: Record<BlockIcon, { glyph: string; color: string }> = {
  play: { glyph: '▶', color: '#16a34a' },
  code: { glyph: 'ƒ', color: '#6d5dfc' },
  exchange: { glyph: '⇄', color: '#0ea5e9' },
  diamond: { glyph: '◇', color: '#f59e0b' },
  fork: { glyph: '⇉', color: '#f97316' },
  sparkle: { glyph: '✦', color: '#db2777' },
  pencil: { glyph: '✎', color: '#0d9488' },
  check: { glyph: '✓', color: '#059669' },
  clock: { glyph: '◴', color: '#64748b' },
  repeat: { glyph: '↻', color: '#7c3aed' },
  lanes: { glyph: '∥', color: '#7c3aed' },
  stack: { glyph: '❐', color: '#475569' },
  reply: { glyph: '⏎', color: '#2563eb' },
  book: { glyph: '❏', color: '#b45309' },
  bell: { glyph: '✉', color: '#ea580c' },
  assistant: { glyph: '☑', color: '#0891b2' },
};

export interface BlockLook {
  type: BlockType;
  label: string;
  description: string;
  glyph: string;
  color: string;
}

function lookOf(type: BlockType): BlockLook {
  const { label, description, icon } = BLOCK_CATALOG[type];
  return { type, label, description, ...ICONS[icon] };
}

/** The palette: every block of the catalog, in catalog order. */
export const PALETTE: readonly BlockLook[] = BLOCK_TYPES.map(lookOf);

/** How a block of each type looks on the canvas and in the side panel. */
export const BLOCK_LOOKS: Record<BlockType, BlockLook> = Object.fromEntries(
  PALETTE.map((look) => [look.type, look]),
) as Record<BlockType, BlockLook>;
