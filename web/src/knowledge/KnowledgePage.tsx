import { useState } from 'react';
import { useSession } from '../account/session.tsx';
import { api } from '../lib/api.ts';
import type { Page } from '../lib/types.ts';
import { useAction } from '../lib/use-action.ts';
import { useLoad } from '../lib/use-load.ts';
import { navigate } from '../lib/use-route.ts';
import { Empty, ErrorBox, Loading, timeAgo } from '../ui/feedback.tsx';
import { Link } from '../ui/Link.tsx';
import type { KnowledgeBase } from './knowledge-logic.ts';

/** The workspace's knowledge bases: create one, open one to add documents and search it. */
export function KnowledgePage() {
  const canEdit = useSession().can('knowledge.write');
  const list = useLoad(() => api<Page<KnowledgeBase>>('GET', '/api/v1/knowledge-bases'), 'knowledge-bases');
  const [name, setName] = useState('');
  const create = useAction();

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const created = await create.run(() =>
      api<KnowledgeBase>('POST', '/api/v1/knowledge-bases', { name: name.trim() || 'Knowledge base' }),
    );
    if (created) navigate(`/knowledge/${created.id}`);
  }

  return (
    <section className="content">
      <div className="page-head">
        <h1>Knowledge</h1>
        {canEdit && (
          <form className="inline-form" onSubmit={submit}>
            <label className="sr-only" htmlFor="new-kb-name">
              New knowledge base name
            </label>
            <input
              id="new-kb-name"
              placeholder="New knowledge base name"
              value={name}
              maxLength={200}
              onChange={(e) => setName(e.target.value)}
            />
            <button className="primary" type="submit" disabled={create.busy}>
              Create
            </button>
          </form>
        )}
      </div>
      <ErrorBox error={create.error} onDismiss={create.clearError} />
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data && <Loading what="knowledge bases" />}
      {list.data && list.data.items.length === 0 && (
        <Empty title="No knowledge bases yet">
          {canEdit
            ? 'Name one above, then add documents (files, a web page or pasted text): workflows and the chat answer from them, with sources.'
            : 'An editor or admin of this workspace can create one.'}
        </Empty>
      )}
      {list.data && list.data.items.length > 0 && (
        <ul className="card-list">
          {list.data.items.map((kb) => (
            <li key={kb.id} className="card">
              <Link to={`/knowledge/${kb.id}`} className="card-title">
                {kb.name}
              </Link>
              <div className="muted">
                {`${kb.documents} documents · `}created {timeAgo(kb.createdAt)}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
