import { useEffect, useRef } from 'react';
import { api } from '../lib/api.ts';
import { useLoad } from '../lib/use-load.ts';
import { ErrorBox, Loading } from '../ui/feedback.tsx';

export interface WorkflowTemplate {
  id: string;
  name: string;
  description: string | null;
  blocks: number;
}

/** The shipped templates in a modal dialog; choosing one hands its id to `onUse` (which creates the workflow). */
export function TemplateDialog({
  onUse,
  onClose,
  busy,
  error,
}: {
  onUse: (id: string) => void;
  onClose: () => void;
  busy: boolean;
  /** Why creating from the chosen template failed, shown inside the dialog (the page behind is inert). */
  error: unknown;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const list = useLoad(() => api<{ items: WorkflowTemplate[] }>('GET', '/api/v1/templates'), 'templates');
  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  return (
    <dialog ref={dialog} className="template-dialog" aria-labelledby="template-dialog-title" onClose={onClose}>
      <div className="page-head">
        <h2 id="template-dialog-title">New from template</h2>
        <button type="button" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </div>
      <ErrorBox error={error} />
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data && <Loading what="templates" />}
      {list.data && (
        <ul className="card-list">
          {list.data.items.map((t) => (
            <li key={t.id} className="card">
              <div className="card-title">{t.name}</div>
              <div className="muted">{t.blocks} blocks</div>
              {t.description && <p>{t.description}</p>}
              <div className="card-actions">
                <button
                  type="button"
                  className="primary"
                  disabled={busy}
                  aria-label={`Use ${t.name}`}
                  onClick={() => onUse(t.id)}
                >
                  Use template
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </dialog>
  );
}
