import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { can, type Permission, type Role } from '../../../src/model/roles.ts';
import { api } from '../lib/api.ts';
import { reconnectSocket } from '../lib/socket.ts';
import { navigate } from '../lib/use-route.ts';
import { chooseWorkspace, chosenWorkspace } from '../lib/workspace-choice.ts';
import { ErrorBox, Loading } from '../ui/feedback.tsx';

export interface MeWorkspace {
  id: string;
  slug: string;
  name: string;
  role: Role;
}
/** `GET /api/v1/me`: who is signed in, the workspaces they can switch to, and the one this session acts in. */
export interface Me {
  user: { id: string; email: string; name: string; instanceAdmin: boolean };
  workspaces: MeWorkspace[];
  current: { workspaceId: string; slug: string; role: Role } | null;
}

export interface Session {
  me: Me;
  /** The workspace the app acts in, with the role there. */
  workspace: MeWorkspace;
  /** Whether the role in the current workspace allows `permission` (the server's own rule, src/model/roles.ts). */
  can: (permission: Permission) => boolean;
  switchWorkspace: (id: string) => void;
  /** Reads the account again (after changing one's own role, say). */
  reload: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a <SessionProvider> above it');
  return session;
}

/** Reads who is signed in; a remembered workspace the user no longer belongs to is forgotten for their first one. */
async function loadMe(): Promise<Me> {
  const me = await api<Me>('GET', '/api/v1/me');
  if (me.current || !chosenWorkspace()) return me;
  chooseWorkspace(null);
  return api<Me>('GET', '/api/v1/me');
}

/**
 * Loads the signed-in user (a 401 sends the page to sign-in, see App) and provides the session to the pages; the
 * children render only once it is known, keyed by workspace so a switch starts every page afresh.
 */
export function SessionProvider({ children, fallback }: { children: ReactNode; fallback: (me: Me) => ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      const answer = await loadMe();
      if (answer.current) chooseWorkspace(answer.current.workspaceId);
      setMe(answer);
    } catch (caught) {
      setError(caught);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const switchWorkspace = useCallback(
    (id: string) => {
      chooseWorkspace(id);
      reconnectSocket();
      setMe(null);
      navigate('/');
      void load();
    },
    [load],
  );

  if (!me)
    return error ? (
      <section className="content">
        <ErrorBox error={error} onRetry={() => void load()} />
      </section>
    ) : (
      <Loading what="your account" />
    );
  const current = me.current;
  const workspace = current && me.workspaces.find((w) => w.id === current.workspaceId);
  if (!current || !workspace) return <>{fallback(me)}</>;
  const session: Session = {
    me,
    workspace: { ...workspace, role: current.role },
    can: (permission) => can(current.role, permission),
    switchWorkspace,
    reload: load,
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
