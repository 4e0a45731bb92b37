import type { BlockType } from '../../../src/model/blocks.ts';
import { PALETTE } from './block-catalog.ts';

export const DRAG_MIME = 'application/x-duet-block';

/** Every block type: drag one onto the canvas, or press it to add it in the middle of the view. */
export function Palette({ onAdd }: { onAdd: (type: BlockType) => void }) {
  return (
    <aside className="palette" aria-label="Blocks">
      <h2>Blocks</h2>
      <ul>
        {PALETTE.map((info) => (
          <li key={info.type}>
            <button
              type="button"
              className="palette-item"
              draggable
              data-block-type={info.type}
              title={info.description}
              style={{ '--accent': info.color } as React.CSSProperties}
              onDragStart={(e) => {
                e.dataTransfer.setData(DRAG_MIME, info.type);
                e.dataTransfer.effectAllowed = 'move';
              }}
              onClick={() => onAdd(info.type)}
            >
              <span className="block-icon" aria-hidden="true">
                {info.glyph}
              </span>
              <span>{info.label}</span>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}
