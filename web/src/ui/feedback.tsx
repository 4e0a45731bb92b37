import type { ReactNode } from 'react';
import { ApiError } from '../lib/api.ts';
import { Link } from './Link.tsx';

/** An error as the API said it: code, message and every detail. */
export function ErrorBox({
  error,
  onRetry,
  onDismiss,
}: {
  error: unknown;
  onRetry?: () => void;
  onDismiss?: () => void;
}) {
  if (!error) return null;
  const api = error instanceof ApiError ? error : null;
  return (
    <div className="error-box" role="alert">
      {onDismiss && (
        <button type="button" className="icon dismiss" aria-label="Dismiss" onClick={onDismiss}>
          ✕
        </button>
      )}
      <div>
        {api && <code className="error-code">{api.code}</code>} {error instanceof Error ? error.message : String(error)}
      </div>
      {api && api.details.length > 0 && (
        <ul>
          {api.details.slice(0, 20).map((d, i) => (
            <li key={i}>
              {d.path ? <code>{d.path}</code> : null} {d.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/**
 * A page whose subject could not be loaded: a 404 (a deleted item, a wrong link) says so in words and offers the
 * way back; any other error is shown as the API said it, with a retry.
 */
export function PageError({
  error,
  what,
  back,
  onRetry,
}: {
  error: unknown;
  what: string;
  back: { to: string; label: string };
  onRetry?: () => void;
}) {
  // Over the socket a missing item comes as code not_found without an HTTP status.
  if (!(error instanceof ApiError && (error.status === 404 || error.code === 'not_found')))
    return (
      <section className="content">
        <ErrorBox error={error} {...(onRetry ? { onRetry } : {})} />
      </section>
    );
  return (
    <section className="content">
      <Empty title={`This ${what} does not exist`}>
        <p>It may have been deleted, or the link is wrong.</p>
        <Link to={back.to}>{back.label}</Link>
      </Empty>
    </section>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <div className="loading" aria-busy="true">
      <span className="spinner" /> Loading {what}…
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <h3>{title}</h3>
      {children}
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status}`}>{status.replace('_', ' ')}</span>;
}

/** Whether a page is receiving live updates over the socket. */
export function LiveDot({ live }: { live: boolean }) {
  return (
    <span className={`live-dot${live ? ' on' : ''}`} data-testid="live-state">
      {live ? 'live' : 'connecting…'}
    </span>
  );
}

export function timeAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)}h ago`;
  return new Date(iso).toLocaleDateString();
}
