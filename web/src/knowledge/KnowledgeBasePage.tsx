import { useState } from 'react';
import { useSession } from '../account/session.tsx';
import { api } from '../lib/api.ts';
import { useAction } from '../lib/use-action.ts';
import { useLoad } from '../lib/use-load.ts';
import { navigate } from '../lib/use-route.ts';
import { ConfirmButton } from '../ui/ConfirmButton.tsx';
import { ErrorBox, Loading, PageError } from '../ui/feedback.tsx';
import { Link } from '../ui/Link.tsx';
import { AddDocuments } from './AddDocuments.tsx';
import { DocumentList } from './DocumentList.tsx';
import type { KnowledgeBase } from './knowledge-logic.ts';
import { KnowledgeSearch } from './KnowledgeSearch.tsx';
import { useDocuments } from './use-documents.ts';

/** One knowledge base: rename or delete it, add documents and follow their ingestion, search it. */
export function KnowledgeBasePage({ knowledgeBaseId, documentId }: { knowledgeBaseId: string; documentId?: string }) {
  const canEdit = useSession().can('knowledge.write');
  const path = `/api/v1/knowledge-bases/${encodeURIComponent(knowledgeBaseId)}`;
  const base = useLoad(() => api<KnowledgeBase>('GET', path), `kb-${knowledgeBaseId}`);
  const docs = useDocuments(knowledgeBaseId);
  const action = useAction();
  const [renaming, setRenaming] = useState<string | null>(null);

  async function rename(event: React.FormEvent) {
    event.preventDefault();
    const name = renaming?.trim();
    if (!name) return;
    const saved = await action.run(() => api<KnowledgeBase>('PATCH', path, { name }));
    if (saved) {
      base.setData(saved);
      setRenaming(null);
    }
  }

  async function remove() {
    const done = await action.run(async () => {
      await api('DELETE', path);
      return true;
    });
    if (done) navigate('/knowledge');
  }

  if (base.loading && !base.data) return <Loading what="the knowledge base" />;
  if (base.error && !base.data)
    return (
      <PageError
        error={base.error}
        what="knowledge base"
        back={{ to: '/knowledge', label: 'All knowledge bases' }}
        onRetry={base.reload}
      />
    );
  return (
    <section className="content knowledge-base">
      <div className="page-head">
        <Link to="/knowledge">Knowledge</Link>
        <span className="muted">/</span>
        {renaming === null ? (
          <h1>{base.data?.name ?? knowledgeBaseId}</h1>
        ) : (
          <form className="inline-form rename" onSubmit={rename}>
            <label className="sr-only" htmlFor="kb-rename">
              Name
            </label>
            <input
              id="kb-rename"
              value={renaming}
              maxLength={200}
              autoFocus
              onChange={(e) => setRenaming(e.target.value)}
            />
            <button className="primary" type="submit" disabled={action.busy}>
              Save
            </button>
            <button type="button" onClick={() => setRenaming(null)}>
              Cancel
            </button>
          </form>
        )}
        {canEdit && base.data && renaming === null && (
          <span className="head-actions">
            <button type="button" className="small" onClick={() => setRenaming(base.data!.name)}>
              Rename
            </button>
            <ConfirmButton
              label="Delete"
              question="Delete this knowledge base and all its documents?"
              disabled={action.busy}
              onConfirm={() => void remove()}
            />
          </span>
        )}
      </div>
      <ErrorBox error={base.error} onRetry={base.reload} />
      <ErrorBox error={action.error} onDismiss={action.clearError} />
      {base.data && (
        <div className="knowledge-columns">
          <div>
            <KnowledgeSearch knowledgeBaseId={knowledgeBaseId} />
          </div>
          <div>
            {canEdit && <AddDocuments knowledgeBaseId={knowledgeBaseId} onAdded={() => void docs.reload()} />}
            <DocumentList knowledgeBaseId={knowledgeBaseId} docs={docs} canEdit={canEdit} selected={documentId} />
          </div>
        </div>
      )}
    </section>
  );
}
