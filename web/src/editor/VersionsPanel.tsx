import { useState } from 'react';
import { api } from '../lib/api.ts';
import type { Page, WorkflowGraph, WorkflowVersion } from '../lib/types.ts';
import { useLoad } from '../lib/use-load.ts';
import { Empty, ErrorBox, Loading, timeAgo } from '../ui/feedback.tsx';
import { diffGraphs } from './diff.ts';

/** Without `onRestore` (a role that cannot edit) the panel only compares. */
interface VersionsPanelProps {
  workflowId: string;
  draft: WorkflowGraph;
  reloadKey: number;
  onRestore?: (graph: WorkflowGraph) => void;
}

/** Published versions, newest first; pick one to see what the draft changes since, or to restore it. */
export function VersionsPanel({ workflowId, draft, reloadKey, onRestore }: VersionsPanelProps) {
  const versions = useLoad(
    () => api<Page<WorkflowVersion>>('GET', `/api/v1/workflows/${encodeURIComponent(workflowId)}/versions`),
    `${workflowId}:${reloadKey}`,
  );
  const [picked, setPicked] = useState<number | null>(null);
  if (versions.error) return <ErrorBox error={versions.error} onRetry={versions.reload} />;
  if (!versions.data) return <Loading what="versions" />;
  if (versions.data.items.length === 0)
    return (
      <Empty title="Not published yet">Publish the draft to freeze it as version 1; runs use published versions.</Empty>
    );
  const version = versions.data.items.find((v) => v.number === picked) ?? versions.data.items[0]!;
  const changes = diffGraphs(version.graph, draft);
  return (
    <div className="versions pad">
      <ul className="version-list">
        {versions.data.items.map((v) => (
          <li key={v.number}>
            <button
              type="button"
              className={v.number === version.number ? 'active' : ''}
              onClick={() => setPicked(v.number)}
            >
              v{v.number}{' '}
              <span className="muted">
                {timeAgo(v.publishedAt)} · {v.hash.slice(0, 8)}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <h3>Draft compared with v{version.number}</h3>
      {changes.length === 0 ? (
        <p className="muted">No changes: the draft is what v{version.number} runs.</p>
      ) : (
        <ul className="diff" data-testid="version-diff">
          {changes.map((c, i) => (
            <li key={i} className={`diff-${c.kind}`}>
              <span className="diff-sign">{c.kind === 'added' ? '+' : c.kind === 'removed' ? '−' : '~'}</span> {c.what}{' '}
              <code>{c.id}</code> {c.what !== 'edge' && <span className="muted">{c.detail}</span>}
            </li>
          ))}
        </ul>
      )}
      {onRestore && (
        <button type="button" onClick={() => onRestore(version.graph)} disabled={changes.length === 0}>
          Restore v{version.number} into the draft
        </button>
      )}
    </div>
  );
}
