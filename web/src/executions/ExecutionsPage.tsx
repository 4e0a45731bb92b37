import { useState } from 'react';
import { EXECUTION_STATUSES } from '../../../src/model/execution.ts';
import { useSession } from '../account/session.tsx';
import { api } from '../lib/api.ts';
import { navigate } from '../lib/use-route.ts';
import type { Execution, Page, Workflow } from '../lib/types.ts';
import { useDebounced, useWorkspaceEvents } from '../lib/use-workspace-events.ts';
import { useLoad } from '../lib/use-load.ts';
import { Empty, ErrorBox, LiveDot, Loading, StatusBadge, timeAgo } from '../ui/feedback.tsx';
import { Link } from '../ui/Link.tsx';
import { executionsQuery, SINCE_OPTIONS, withinSince } from './filters.ts';

const LIVE_RELOAD_MS = 400;

/** Executions, newest first, filtered by workflow, status and age; more pages on demand. */
export function ExecutionsPage({ workflowId, status }: { workflowId?: string; status?: string }) {
  const [since, setSince] = useState('all');
  const [more, setMore] = useState<Execution[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const query = executionsQuery({ workflowId, status });
  const workflows = useLoad(() => api<Page<Workflow>>('GET', '/api/v1/workflows?limit=100'), 'workflows');
  const page = useLoad(async () => {
    const first = await api<Page<Execution>>('GET', `/api/v1/executions?${query}`);
    setMore([]);
    setCursor(first.nextCursor);
    return first;
  }, query);
  // The list follows the workspace live: any execution event re-reads the first page (debounced).
  const { workspace } = useSession();
  const refresh = useDebounced(() => {
    void page.reload();
  }, LIVE_RELOAD_MS);
  const live = useWorkspaceEvents([workspace.id], (event) => {
    if (event.type.startsWith('execution.')) refresh();
  });
  const names = new Map(workflows.data?.items.map((w) => [w.id, w.name]) ?? []);
  const items = [...(page.data?.items ?? []), ...more].filter((e) => withinSince(e.createdAt, since));
  const setFilter = (patch: { workflowId?: string; status?: string }) =>
    navigate(`/executions?${executionsQuery({ workflowId, status, ...patch }, false)}`);

  async function loadMore() {
    if (!cursor) return;
    const next = await api<Page<Execution>>('GET', `/api/v1/executions?${query}&cursor=${encodeURIComponent(cursor)}`);
    setMore((m) => [...m, ...next.items]);
    setCursor(next.nextCursor);
  }

  return (
    <section className="content">
      <div className="page-head">
        <h1>Executions</h1>
        <LiveDot live={live} />
      </div>
      <div className="filters" role="group" aria-label="Filters">
        <label>
          Workflow{' '}
          <select value={workflowId ?? ''} onChange={(e) => setFilter({ workflowId: e.target.value || undefined })}>
            <option value="">all</option>
            {workflows.data?.items.map((w) => (
              <option key={w.id} value={w.slug}>
                {w.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status{' '}
          <select value={status ?? ''} onChange={(e) => setFilter({ status: e.target.value || undefined })}>
            <option value="">all</option>
            {EXECUTION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.replace('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          Started{' '}
          <select value={since} onChange={(e) => setSince(e.target.value)}>
            {SINCE_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void page.reload()}>
          Refresh
        </button>
      </div>
      <ErrorBox error={page.error} onRetry={page.reload} />
      {!page.data && page.loading && <Loading what="executions" />}
      {page.data && items.length === 0 && (
        <Empty title="No executions match">
          Run a published workflow from the editor, the chat or <code>duet run</code>.
        </Empty>
      )}
      {items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Status</th>
              <th>Workflow</th>
              <th>Version</th>
              <th>Mode</th>
              <th>Progress</th>
              <th>Started</th>
              <th>Id</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id}>
                <td>
                  <Link to={`/executions/${e.id}`}>
                    <StatusBadge status={e.status} />
                  </Link>
                </td>
                <td>
                  <Link to={`/workflows/${e.workflowId}`}>{names.get(e.workflowId) ?? e.workflowId.slice(0, 8)}</Link>
                </td>
                <td>v{e.version}</td>
                <td>{e.mode}</td>
                <td>{e.progress}%</td>
                <td>{timeAgo(e.createdAt)}</td>
                <td>
                  <Link to={`/executions/${e.id}`}>
                    <code>{e.id.slice(0, 8)}</code>
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && (
        <button type="button" onClick={() => void loadMore()}>
          Load more
        </button>
      )}
    </section>
  );
}
