import type { BlockType } from '../../../src/model/blocks.ts';
import { BLOCK_CATALOG, PALETTE_ORDER } from './block-catalog.ts';

export const DRAG_MIME = 'application/x-duet-block';

/** Every block type: drag one onto the canvas, or press it to add it in the middle of the view. */
export function Palette({ onAdd }: { onAdd: (type: BlockType) => void }) {
  return (
    <aside className="palette" aria-label="Blocks">
      <h2>Blocks</h2>
      <ul>
        {PALETTE_ORDER.map((type) => {
          const info = BLOCK_CATALOG[type];
          return (
            <li key={type}>
              <button
                type="button"
                className="palette-item"
                draggable
                data-block-type={type}
                title={info.description}
                style={{ '--accent': info.color } as React.CSSProperties}
                onDragStart={(e) => {
                  e.dataTransfer.setData(DRAG_MIME, type);
                  e.dataTransfer.effectAllowed = 'move';
                }}
                onClick={() => onAdd(type)}
              >
                <span className="block-icon" aria-hidden="true">
                  {info.icon}
                </span>
                <span>{info.label}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
