import { api } from '../lib/api.ts';
import type { Page } from '../lib/types.ts';
import { useAction } from '../lib/use-action.ts';
import type { Loaded } from '../lib/use-load.ts';
import { ConfirmButton } from '../ui/ConfirmButton.tsx';
import { Empty, ErrorBox, Loading, timeAgo } from '../ui/feedback.tsx';
import { progressPercent, progressText, type KnowledgeDocument } from './knowledge-logic.ts';

/** The documents of a base with their ingestion status and progress; a cited one is marked. */
export function DocumentList({
  knowledgeBaseId,
  docs,
  canEdit,
  selected,
}: {
  knowledgeBaseId: string;
  docs: Loaded<Page<KnowledgeDocument>>;
  canEdit: boolean;
  selected?: string;
}) {
  const action = useAction();
  async function remove(id: string) {
    await action.run(() =>
      api('DELETE', `/api/v1/knowledge-bases/${encodeURIComponent(knowledgeBaseId)}/documents/${id}`),
    );
    await docs.reload();
  }
  return (
    <div className="panel documents">
      <h2>Documents</h2>
      <ErrorBox error={docs.error} onRetry={docs.reload} />
      <ErrorBox error={action.error} onDismiss={action.clearError} />
      {docs.loading && !docs.data && <Loading what="documents" />}
      {docs.data?.items.length === 0 && (
        <Empty title="No documents yet">
          {canEdit ? 'Add files, a web page or pasted text above.' : 'An editor can add some.'}
        </Empty>
      )}
      <ul className="document-list">
        {docs.data?.items.map((doc) => {
          const percent = progressPercent(doc);
          return (
            <li
              key={doc.id}
              className={doc.id === selected ? 'document selected' : 'document'}
              data-status={doc.status}
              aria-current={doc.id === selected ? 'true' : undefined}
            >
              <div className="document-head">
                <strong>{doc.title}</strong>
                <span className={`badge doc-${doc.status}`}>{doc.status}</span>
              </div>
              <div className="muted">
                {progressText(doc)} · {doc.source} · {timeAgo(doc.updatedAt)}
                {doc.tags.length > 0 && ` · ${doc.tags.join(', ')}`}
              </div>
              {percent !== null && doc.status !== 'ready' && (
                <progress max={100} value={percent} aria-label={`${doc.title} indexed`} />
              )}
              {canEdit && (
                <ConfirmButton
                  label="Delete"
                  question={`Delete "${doc.title}"?`}
                  disabled={action.busy}
                  onConfirm={() => void remove(doc.id)}
                />
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
