import { useState } from 'react';
import { api } from '../lib/api.ts';
import { useAction } from '../lib/use-action.ts';
import { Empty, ErrorBox } from '../ui/feedback.tsx';
import { Link } from '../ui/Link.tsx';
import { citationHref, highlightParts, SEARCH_MODES, type KnowledgeHit, type SearchMode } from './knowledge-logic.ts';
import { citationLabel } from '../../../src/model/knowledge-hits.ts';

/** A search box over one base: each hit with its words marked and where it comes from. */
export function KnowledgeSearch({ knowledgeBaseId }: { knowledgeBaseId: string }) {
  const [query, setQuery] = useState('');
  const [mode, setMode] = useState<SearchMode>('hybrid');
  const [result, setResult] = useState<{ query: string; items: KnowledgeHit[] } | null>(null);
  const action = useAction();

  async function search(event: React.FormEvent) {
    event.preventDefault();
    const q = query.trim();
    if (!q) return;
    const params = new URLSearchParams({ q, mode, k: '10' });
    const found = await action.run(() =>
      api<{ items: KnowledgeHit[] }>(
        'GET',
        `/api/v1/knowledge-bases/${encodeURIComponent(knowledgeBaseId)}/search?${params}`,
      ),
    );
    if (found) setResult({ query: q, items: found.items });
  }

  return (
    <div className="panel knowledge-search">
      <form className="search-form" onSubmit={search} role="search">
        <label className="sr-only" htmlFor="kb-query">
          Search this knowledge base
        </label>
        <input
          id="kb-query"
          type="search"
          placeholder="Ask or search, e.g. how long do refunds take?"
          value={query}
          maxLength={1000}
          onChange={(e) => setQuery(e.target.value)}
        />
        <label className="sr-only" htmlFor="kb-mode">
          Search mode
        </label>
        <select id="kb-mode" value={mode} onChange={(e) => setMode(e.target.value as SearchMode)}>
          {SEARCH_MODES.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        <button className="primary" type="submit" disabled={action.busy || !query.trim()}>
          Search
        </button>
      </form>
      <ErrorBox error={action.error} onDismiss={action.clearError} />
      {result && result.items.length === 0 && (
        <Empty title="No passages found">Try other words, or check that the documents are ready.</Empty>
      )}
      {result && result.items.length > 0 && (
        <ol className="hits" aria-label="Search results">
          {result.items.map((hit) => (
            <li key={hit.chunkId} className="hit">
              <div className="hit-source">
                <Link to={citationHref({ knowledgeBaseId, documentId: hit.documentId })}>
                  {citationLabel(hit.title, hit.headingPath)}
                </Link>
                <span className="muted"> · score {hit.score.toFixed(3)}</span>
              </div>
              <p className="hit-text">
                {highlightParts(hit.text, result.query).map((part, i) =>
                  part.mark ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
                )}
              </p>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
