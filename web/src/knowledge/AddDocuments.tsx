import { useRef, useState } from 'react';
import { api } from '../lib/api.ts';
import { useAction } from '../lib/use-action.ts';
import { ErrorBox } from '../ui/feedback.tsx';
import { fileNames } from './knowledge-logic.ts';

type Source = 'files' | 'url' | 'text';
interface Accepted {
  items: Array<{ id?: string; status?: string; error?: { message?: string } | string }>;
}

/** Adds documents by upload, by URL (the server fetches it) or as pasted text; each arrives queued. */
export function AddDocuments({ knowledgeBaseId, onAdded }: { knowledgeBaseId: string; onAdded: () => void }) {
  const [source, setSource] = useState<Source>('files');
  const [files, setFiles] = useState<File[]>([]);
  const [url, setUrl] = useState('');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [tags, setTags] = useState('');
  const [rejected, setRejected] = useState<string[]>([]);
  const fileInput = useRef<HTMLInputElement>(null);
  const action = useAction();
  const path = `/api/v1/knowledge-bases/${encodeURIComponent(knowledgeBaseId)}/documents`;
  const tagList = tags
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setRejected([]);
    const accepted = await action.run(() => {
      if (source === 'files') {
        const form = new FormData();
        for (const file of files) form.append('file', file, file.name);
        if (tagList.length) form.append('tags', tagList.join(','));
        return api<Accepted>('POST', path, form);
      }
      const body = source === 'url' ? { url: url.trim() } : { title: title.trim(), text };
      return api<Accepted>('POST', path, { ...body, ...(title.trim() ? { title: title.trim() } : {}), tags: tagList });
    });
    if (!accepted) return;
    // A bad file in a batch gets its own error while the others are accepted.
    setRejected(
      accepted.items.flatMap((item, i) =>
        item.error
          ? [`${files[i]?.name ?? 'item'}: ${typeof item.error === 'string' ? item.error : item.error.message}`]
          : [],
      ),
    );
    setFiles([]);
    setUrl('');
    setText('');
    setTitle('');
    onAdded();
  }

  const ready =
    (source === 'files' && files.length > 0) ||
    (source === 'url' && url.trim() !== '') ||
    (source === 'text' && text.trim() !== '' && title.trim() !== '');

  return (
    <form className="panel add-documents" onSubmit={submit} aria-label="Add documents">
      <h2>Add documents</h2>
      <div className="segmented" role="radiogroup" aria-label="Source">
        {(['files', 'url', 'text'] as const).map((s) => (
          <label key={s}>
            <input type="radio" name="source" checked={source === s} onChange={() => setSource(s)} />
            {s === 'files' ? 'Files' : s === 'url' ? 'Web page' : 'Paste text'}
          </label>
        ))}
      </div>
      {source === 'files' && (
        <div className="field">
          <button type="button" onClick={() => fileInput.current?.click()}>
            Choose files…
          </button>{' '}
          <span className="muted">
            {files.length ? fileNames(files) : 'Text, Markdown, HTML, PDF, DOCX, CSV or JSON'}
          </span>
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            aria-label="Files to add"
            accept=".txt,.md,.markdown,.html,.htm,.pdf,.docx,.csv,.json,text/*,application/pdf,application/json"
            onChange={(e) => {
              setFiles([...(e.target.files ?? [])]);
              e.target.value = '';
            }}
          />
        </div>
      )}
      {source === 'url' && (
        <label className="field">
          Address
          <input
            type="url"
            placeholder="https://…"
            value={url}
            maxLength={2000}
            onChange={(e) => setUrl(e.target.value)}
          />
        </label>
      )}
      {source !== 'files' && (
        <label className="field">
          Title{source === 'url' ? ' (optional)' : ''}
          <input value={title} maxLength={300} onChange={(e) => setTitle(e.target.value)} />
        </label>
      )}
      {source === 'text' && (
        <label className="field">
          Text
          <textarea rows={6} value={text} onChange={(e) => setText(e.target.value)} />
        </label>
      )}
      <label className="field">
        Tags (comma separated, optional)
        <input value={tags} maxLength={500} onChange={(e) => setTags(e.target.value)} />
      </label>
      <button className="primary" type="submit" disabled={!ready || action.busy}>
        {action.busy ? 'Adding…' : 'Add'}
      </button>
      <ErrorBox error={action.error} onDismiss={action.clearError} />
      {rejected.length > 0 && (
        <div className="error-box" role="alert">
          Not added:
          <ul>
            {rejected.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      )}
    </form>
  );
}
