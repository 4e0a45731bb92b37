/**
 * The workspace the app acts in: sent as `x-duet-workspace` on every API call and as `auth.workspace` on the
 * socket, and remembered in localStorage so a reload (or the next visit) opens the same one.
 */
const KEY = 'duet.workspace';

/** The browser's localStorage; absent where there is none (unit tests in Node), and it may throw when disabled. */
interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}
const storage = (globalThis as { localStorage?: KeyValueStore }).localStorage;

let chosen: string | null = readStored();

function readStored(): string | null {
  try {
    return storage?.getItem(KEY) ?? null;
  } catch {
    return null;
  }
}

export const chosenWorkspace = (): string | null => chosen;

export function chooseWorkspace(id: string | null): void {
  chosen = id;
  try {
    if (id) storage?.setItem(KEY, id);
    else storage?.removeItem(KEY);
  } catch {
    // Storage may be off (private mode): the choice then lasts until the page reloads.
  }
}
