import { useEffect, useRef } from 'react';
import { isFormField } from '../lib/dom.ts';
import { copySelection, pasteClip, type Clip } from './clipboard.ts';
import { deleteSelection } from './doc-edits.ts';
import { shortcutFor } from './shortcuts.ts';
import type { Editor } from './use-editor.ts';

/** What a role that cannot edit still may do from the keyboard. */
const READ_ONLY_ACTIONS = new Set(['copy', 'selectAll', 'fit']);

/** Undo, redo, copy, paste, delete, select all, save, layout and fit from the keyboard (see shortcuts.ts). */
export function useEditorShortcuts(
  editor: Editor,
  actions: { save: () => void; layout: () => void; fit: () => void },
  readOnly = false,
): void {
  const clipboard = useRef<Clip | null>(null);
  const latest = useRef({ editor, actions, readOnly });
  latest.current = { editor, actions, readOnly };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = shortcutFor(event, isFormField(event.target));
      if (!action || (latest.current.readOnly && !READ_ONLY_ACTIONS.has(action))) return;
      event.preventDefault();
      const { editor: e, actions: a } = latest.current;
      switch (action) {
        case 'undo':
          return e.undo();
        case 'redo':
          return e.redo();
        case 'save':
          return a.save();
        case 'layout':
          return a.layout();
        case 'fit':
          return a.fit();
        case 'delete':
          return e.change(deleteSelection);
        case 'selectAll':
          return e.look((doc) => ({ ...doc, nodes: doc.nodes.map((n) => ({ ...n, selected: true })) }));
        case 'copy':
          clipboard.current = copySelection(e.doc.nodes, e.doc.edges) ?? clipboard.current;
          return;
        case 'paste': {
          const clip = clipboard.current;
          if (clip) e.change((doc) => ({ ...doc, ...pasteClip(clip, doc.nodes, doc.edges) }));
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
