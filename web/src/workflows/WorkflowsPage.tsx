import { useRef, useState } from 'react';
import { useSession } from '../account/session.tsx';
import { Link } from '../ui/Link.tsx';
import { api } from '../lib/api.ts';
import { navigate } from '../lib/use-route.ts';
import type { Page, Workflow } from '../lib/types.ts';
import { useLoad } from '../lib/use-load.ts';
import { Empty, ErrorBox, Loading, timeAgo } from '../ui/feedback.tsx';
import { readJsonFile } from '../editor/files.ts';
import { starterGraph } from './starter.ts';
import { TemplateDialog } from './TemplateDialog.tsx';

/** Every workflow of the workspace; create one (blank, from a template or a file), open the editor. */
export function WorkflowsPage() {
  const canEdit = useSession().can('workflows.write');
  const list = useLoad(() => api<Page<Workflow>>('GET', '/api/v1/workflows?limit=100'), 'workflows');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [choosing, setChoosing] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  async function create(event: React.FormEvent) {
    event.preventDefault();
    await act(() => api<Workflow>('POST', '/api/v1/workflows', starterGraph(name.trim() || 'Untitled workflow')));
  }
  async function importFile(file: File) {
    await act(async () => api<Workflow>('POST', '/api/v1/workflows/import', await readJsonFile(file)));
  }
  async function fromTemplate(id: string) {
    await act(() => api<Workflow>('POST', `/api/v1/templates/${encodeURIComponent(id)}/workflows`));
  }
  async function act(work: () => Promise<Workflow>) {
    setBusy(true);
    setError(null);
    try {
      const created = await work();
      navigate(`/workflows/${created.slug}`);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="content">
      <div className="page-head">
        <h1>Workflows</h1>
        {canEdit && (
          <form className="inline-form" onSubmit={create}>
            <label className="sr-only" htmlFor="new-workflow-name">
              New workflow name
            </label>
            <input
              id="new-workflow-name"
              placeholder="New workflow name"
              value={name}
              maxLength={200}
              onChange={(e) => setName(e.target.value)}
            />
            <button className="primary" type="submit" disabled={busy}>
              Create
            </button>
            <button type="button" disabled={busy} onClick={() => setChoosing(true)}>
              New from template…
            </button>
            <button type="button" disabled={busy} onClick={() => fileInput.current?.click()}>
              Import JSON…
            </button>
            <input
              ref={fileInput}
              type="file"
              accept=".json,application/json"
              hidden
              aria-label="Import a workflow file"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) void importFile(file);
              }}
            />
          </form>
        )}
      </div>
      {choosing && (
        <TemplateDialog
          busy={busy}
          error={error}
          onUse={(id) => void fromTemplate(id)}
          onClose={() => setChoosing(false)}
        />
      )}
      <ErrorBox error={error} />
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data && <Loading what="workflows" />}
      {list.data && list.data.items.length === 0 && (
        <Empty title="No workflows yet">
          {canEdit ? (
            <>Give your first one a name above, start from a template, or import a JSON file.</>
          ) : (
            'An editor or admin of this workspace can create one.'
          )}
        </Empty>
      )}
      {list.data && list.data.items.length > 0 && (
        <ul className="card-list">
          {list.data.items.map((w) => (
            <li key={w.id} className="card workflow-card">
              <Link to={`/workflows/${w.slug}`} className="card-title">
                {w.name}
              </Link>
              <div className="muted">
                {w.draft.nodes.length} blocks · {w.latestVersion ? `v${w.latestVersion} published` : 'not published'} ·
                edited {timeAgo(w.updatedAt)}
              </div>
              <div className="card-actions">
                <Link to={`/workflows/${w.slug}`}>{canEdit ? 'Edit' : 'Open'}</Link>
                <Link to={`/executions?workflowId=${encodeURIComponent(w.slug)}`}>Executions</Link>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
