import { useEffect, useRef } from 'react';
import { errorText, publicApi } from '../lib/api.ts';
import { closeSocket } from '../lib/socket.ts';
import { useAction } from '../lib/use-action.ts';
import { navigate } from '../lib/use-route.ts';
import type { Me } from './session.tsx';

/** Ends this browser's session, or (everywhere) every session of the account, then shows the sign-in page. */
async function signOut(everywhere: boolean): Promise<void> {
  if (everywhere) await publicApi('POST', '/api/auth/revoke-sessions', {});
  // After revoking, this session is already gone; signing out then only clears the cookie.
  await publicApi('POST', '/api/auth/sign-out', {}).catch(() => undefined);
  closeSocket();
  navigate('/sign-in', { replace: true });
}

/** Who is signed in, their role here, and the two ways out. */
export function UserMenu({ user, role }: { user: Me['user']; role?: string }) {
  const action = useAction();
  const menu = useRef<HTMLDetailsElement>(null);
  // Closes when the person clicks anywhere else, like any menu.
  useEffect(() => {
    const close = (event: PointerEvent) => {
      if (menu.current && !menu.current.contains(event.target as Node)) menu.current.open = false;
    };
    document.addEventListener('pointerdown', close);
    return () => document.removeEventListener('pointerdown', close);
  }, []);
  const shown = user.name || user.email;
  return (
    <details className="user-menu" ref={menu}>
      <summary aria-label={`Account: ${shown}`}>
        <span className="avatar" aria-hidden="true">
          {shown.slice(0, 1).toUpperCase()}
        </span>
        <span className="user-name">{shown}</span>
      </summary>
      <div className="menu-panel" data-testid="user-menu">
        <div className="menu-who">
          <strong>{user.name}</strong>
          <span className="muted">{user.email}</span>
          {role && (
            <span>
              Role here:{' '}
              <span className="badge" data-testid="current-role">
                {role}
              </span>
            </span>
          )}
          {user.instanceAdmin && <span className="muted">Instance admin of this Duet</span>}
        </div>
        {action.error ? (
          <p className="form-error" role="alert">
            {errorText(action.error)}
          </p>
        ) : null}
        <button type="button" disabled={action.busy} onClick={() => void action.run(() => signOut(false))}>
          Sign out
        </button>
        <button
          type="button"
          disabled={action.busy}
          onClick={() => void action.run(() => signOut(true))}
          title="Ends every session of your account, on every device"
        >
          Sign out everywhere
        </button>
      </div>
    </details>
  );
}
