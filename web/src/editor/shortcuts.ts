/** Editor shortcuts; they stay out of the way while a form field has the focus. */
export type ShortcutAction = 'undo' | 'redo' | 'copy' | 'paste' | 'delete' | 'save' | 'selectAll' | 'layout' | 'fit';

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export function shortcutFor(event: KeyPress, inField: boolean): ShortcutAction | null {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if (mod && key === 's') return 'save';
  if (inField) return null;
  if (mod && key === 'z') return event.shiftKey ? 'redo' : 'undo';
  if (mod && key === 'y') return 'redo';
  if (mod && key === 'c') return 'copy';
  if (mod && key === 'v') return 'paste';
  if (mod && key === 'a') return 'selectAll';
  if (!mod && !event.altKey && (key === 'delete' || key === 'backspace')) return 'delete';
  if (!mod && event.shiftKey && key === 'l') return 'layout';
  if (!mod && event.shiftKey && key === 'f') return 'fit';
  return null;
}
