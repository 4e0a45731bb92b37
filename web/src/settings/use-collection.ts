import { useCallback, useState } from 'react';
import { api } from '../lib/api.ts';
import { useAction, type Action } from '../lib/use-action.ts';
import { useLoad, type Loaded } from '../lib/use-load.ts';

export interface ListWrites extends Action {
  /** Runs a write (create, change, revoke) with the busy flag, then reads the list again; undefined if it failed. */
  write: <R>(work: () => Promise<R>) => Promise<R | undefined>;
}

/** The writes of a settings list: one busy flag and error for all of them, and the list re-read after each. */
export function useListWrites<T>(list: Loaded<T>): ListWrites {
  const action = useAction();
  const { run } = action;
  const { reload } = list;
  const write = useCallback(
    <R>(work: () => Promise<R>) =>
      run(async () => {
        const result = await work();
        await reload();
        return result;
      }),
    [run, reload],
  );
  return { ...action, write };
}

/**
 * A workspace collection at `path` (invitations, API keys): its list, a create whose answer is kept to show once
 * (the link, the key), and revoking by id.
 */
export function useCollection<Item, Created>(path: string) {
  const list = useLoad(() => api<{ items: Item[] }>('GET', path), path);
  const writes = useListWrites(list);
  const [created, setCreated] = useState<Created | null>(null);
  const { write } = writes;
  const create = useCallback(
    async (body: unknown): Promise<boolean> => {
      const made = await write(() => api<Created>('POST', path, body));
      if (made) setCreated(made);
      return made !== undefined;
    },
    [path, write],
  );
  const revoke = useCallback(
    (id: string) => write(() => api('DELETE', `${path}/${encodeURIComponent(id)}`)),
    [path, write],
  );
  return { list, writes, created, create, revoke, forget: () => setCreated(null) };
}
