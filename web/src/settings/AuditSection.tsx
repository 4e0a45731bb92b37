import { useState } from 'react';
import { api } from '../lib/api.ts';
import type { Page } from '../lib/types.ts';
import { useAction } from '../lib/use-action.ts';
import { useLoad } from '../lib/use-load.ts';
import { Section } from './Section.tsx';
import { appendPage, auditActor, shortId, type AuditItem } from './settings-logic.ts';

const PAGE_SIZE = 50;

/** The workspace's log, or the instance's own (sign-in attempts, sign-outs, setup) for instance admins. */
export type AuditScope = 'workspace' | 'instance';
const SCOPES: Record<AuditScope, { path: string; title: string; intro: string }> = {
  workspace: {
    path: '/api/v1/audit',
    title: 'Audit log',
    intro: 'Every change made in this workspace, by people and API keys alike. Secrets never appear here.',
  },
  instance: {
    path: '/api/v1/admin/audit',
    title: 'Sign-in activity',
    intro:
      'Sign-in attempts on this Duet (the email tried, from where, and whether it worked), sign-outs and first-run setup. Passwords never appear here.',
  },
};

/** Who did what, when, from where and how it ended; newest first, more on demand. */
export function AuditSection({ scope }: { scope: AuditScope }) {
  const { path, title, intro } = SCOPES[scope];
  const auditPath = (cursor?: string) =>
    `${path}?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  const [items, setItems] = useState<AuditItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const first = useLoad(async () => {
    const page = await api<Page<AuditItem>>('GET', auditPath());
    setItems(page.items);
    setCursor(page.nextCursor);
    return page;
  }, `audit ${scope}`);
  const action = useAction();
  const loadMore = () =>
    action.run(async () => {
      if (!cursor) return;
      const page = await api<Page<AuditItem>>('GET', auditPath(cursor));
      setItems((shown) => appendPage(shown, page.items));
      setCursor(page.nextCursor);
    });

  return (
    <Section title={title} intro={intro} loaded={first} error={action.error} onDismissError={action.clearError}>
      {() =>
        items.length === 0 ? (
          <p className="muted">Nothing recorded yet.</p>
        ) : (
          <>
            <table className="table audit" data-testid={`audit-${scope}`}>
              <thead>
                <tr>
                  <th>When</th>
                  <th>Who</th>
                  <th>Action</th>
                  <th>Resource</th>
                  <th>Outcome</th>
                  <th>From</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <tr key={item.id}>
                    <td title={item.at}>{new Date(item.at).toLocaleString()}</td>
                    <td>{auditActor(item)}</td>
                    <td>
                      <code>{item.action}</code>
                    </td>
                    <td>
                      {item.resourceType ?? '—'}
                      {item.resourceId && (
                        <>
                          {' '}
                          <code title={item.resourceId}>{shortId(item.resourceId)}</code>
                        </>
                      )}
                    </td>
                    <td>
                      <span className={`badge outcome-${item.outcome}`}>{item.outcome}</span>
                      {item.statusCode !== null && <span className="muted"> {item.statusCode}</span>}
                    </td>
                    <td>{item.ip ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {cursor && (
              <button type="button" onClick={() => void loadMore()} disabled={action.busy}>
                Load more
              </button>
            )}
          </>
        )
      }
    </Section>
  );
}
