import { useRef } from 'react';
import type { Editor } from './use-editor.ts';

export type LayoutMode = 'visual' | 'hybrid' | 'conversational';

interface EditorToolbarProps {
  title: string;
  slug: string;
  editor: Editor;
  dirty: boolean;
  problemCount: number;
  busy: boolean;
  /** Without it (a viewer) the editing actions are hidden and the toolbar says the workflow is read-only. */
  canEdit: boolean;
  mode: LayoutMode;
  onMode: (mode: LayoutMode) => void;
  onDelete: () => void;
  onLayout: () => void;
  onFit: () => void;
  onImport: (file: File) => void;
  onExport: () => void;
  onSave: () => void;
  onPublish: () => void;
}

/** Save state, problems, the editing actions (each with its shortcut in the tooltip) and the layout switch. */
export function EditorToolbar(props: EditorToolbarProps) {
  const { editor, dirty, problemCount, busy, mode, canEdit } = props;
  const fileInput = useRef<HTMLInputElement>(null);
  const somethingSelected = editor.doc.nodes.some((n) => n.selected) || editor.doc.edges.some((e) => e.selected);
  return (
    <div className="toolbar" role="toolbar" aria-label="Editor">
      <strong className="wf-title" title={props.slug}>
        {props.title}
      </strong>
      <span className={`save-state${dirty ? ' dirty' : ''}`} data-testid="save-state">
        {dirty ? 'Unsaved changes' : 'Saved'}
      </span>
      <span className={`problem-count${problemCount ? ' has' : ''}`} data-testid="problem-count">
        {problemCount ? `${problemCount} problem${problemCount > 1 ? 's' : ''}` : 'Valid'}
      </span>
      {!canEdit && (
        <span className="badge read-only" data-testid="read-only" title="Your role can run and chat, not edit">
          View only
        </span>
      )}
      <div className="spacer" />
      {canEdit && (
        <>
          <button
            type="button"
            onClick={editor.undo}
            disabled={!editor.canUndo}
            title="Undo (Ctrl+Z)"
            className="desktop-only"
          >
            ↶
          </button>
          <button
            type="button"
            onClick={editor.redo}
            disabled={!editor.canRedo}
            title="Redo (Ctrl+Shift+Z)"
            className="desktop-only"
          >
            ↷
          </button>
          <button
            type="button"
            onClick={props.onDelete}
            disabled={!somethingSelected}
            title="Delete (Del)"
            className="desktop-only"
          >
            Delete
          </button>
          <button type="button" onClick={props.onLayout} title="Auto-layout (Shift+L)" className="desktop-only">
            Layout
          </button>
        </>
      )}
      <button type="button" onClick={props.onFit} title="Zoom to fit (Shift+F)" className="desktop-only">
        Fit
      </button>
      {canEdit && (
        <>
          <button type="button" className="desktop-only" onClick={() => fileInput.current?.click()}>
            Import
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            hidden
            aria-label="Import JSON into the draft"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) props.onImport(file);
            }}
          />
        </>
      )}
      <button type="button" className="desktop-only" onClick={props.onExport}>
        Export
      </button>
      {canEdit && (
        <>
          <button type="button" onClick={props.onSave} disabled={busy || !dirty} title="Save draft (Ctrl+S)">
            Save
          </button>
          <button type="button" className="primary" onClick={props.onPublish} disabled={busy}>
            Publish
          </button>
        </>
      )}
      <div className="mode-switch" role="group" aria-label="Layout">
        {(['visual', 'hybrid', 'conversational'] as const).map((m) => (
          <button
            key={m}
            type="button"
            aria-pressed={mode === m}
            className={mode === m ? 'active' : ''}
            onClick={() => props.onMode(m)}
          >
            {m}
          </button>
        ))}
      </div>
    </div>
  );
}
