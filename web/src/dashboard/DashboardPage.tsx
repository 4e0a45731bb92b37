import { useState } from 'react';
import { useSession } from '../account/session.tsx';
import { api } from '../lib/api.ts';
import type { Page, Workflow, WorkspaceSummary } from '../lib/types.ts';
import { useDebounced, useWorkspaceEvents } from '../lib/use-workspace-events.ts';
import { useLoad } from '../lib/use-load.ts';
import { Empty, ErrorBox, LiveDot, Loading, timeAgo } from '../ui/feedback.tsx';
import { Link } from '../ui/Link.tsx';
import { addActivity, changesCounts, type ActivityItem } from './activity.ts';

const REFRESH_DELAY_MS = 250;

/**
 * Every workspace (project) the user can see as a card, and a live feed of the current one (the socket acts in
 * one workspace; another card's button switches to it).
 */
export function DashboardPage() {
  const { workspace, switchWorkspace } = useSession();
  const summaries = useLoad(() => api<Page<WorkspaceSummary>>('GET', '/api/v1/workspaces'), 'workspaces');
  const workflows = useLoad(() => api<Page<Workflow>>('GET', '/api/v1/workflows?limit=100'), 'workflows');
  const workflowNames = new Map(workflows.data?.items.map((w) => [w.id, w.name]) ?? []);
  const [feed, setFeed] = useState<ActivityItem[]>([]);
  // Counts and workflow names are re-read after execution events (a new workflow may have started running).
  const reload = useDebounced(() => {
    void summaries.reload();
    void workflows.reload();
  }, REFRESH_DELAY_MS);
  const live = useWorkspaceEvents([workspace.id], (event) => {
    setFeed((f) => addActivity(f, event));
    if (changesCounts(event)) reload();
  });

  return (
    <section className="content dashboard">
      <div className="page-head">
        <h1>Projects</h1>
        <LiveDot live={live} />
      </div>
      <ErrorBox error={summaries.error} onRetry={summaries.reload} />
      {!summaries.data && summaries.loading && <Loading what="projects" />}
      {summaries.data?.items.length === 0 && <Empty title="No projects">Workspaces appear here once they exist.</Empty>}
      <div className="dash-grid">
        <ul className="project-cards">
          {summaries.data?.items.map((w) => (
            <ProjectCard
              key={w.id}
              workspace={w}
              current={w.id === workspace.id}
              onSwitch={() => switchWorkspace(w.id)}
            />
          ))}
        </ul>
        <section className="activity" aria-label="Activity">
          <h2>Activity</h2>
          {feed.length === 0 ? (
            <p className="muted">
              Nothing yet. Runs started anywhere (editor, chat, API, CLI) show up here as they happen.
            </p>
          ) : (
            <ol className="feed" data-testid="activity-feed">
              {feed.map((item) => (
                <li key={item.key} className={`tone-${item.tone}`}>
                  <Link to={`/executions/${item.executionId}`}>{item.text}</Link>
                  <span className="muted">
                    {' '}
                    · {(item.workflowId && workflowNames.get(item.workflowId)) ?? item.executionId.slice(0, 8)} ·{' '}
                    {timeAgo(item.at)}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </section>
  );
}

function ProjectCard({
  workspace: w,
  current,
  onSwitch,
}: {
  workspace: WorkspaceSummary;
  current: boolean;
  onSwitch: () => void;
}) {
  const counts: Array<[keyof WorkspaceSummary['counts'], string]> = [
    ['running', 'running'],
    ['waiting', 'waiting'],
    ['failed', 'failed 24h'],
    ['completed', 'done 24h'],
  ];
  return (
    <li className="card project-card" data-testid={`project-${w.slug}`}>
      <div className="project-head">
        {current ? (
          <Link to="/workflows" className="card-title">
            {w.name}
          </Link>
        ) : (
          <span className="card-title">{w.name}</span>
        )}
        <span className={`badge ws-${w.status}`}>{w.status}</span>
        <span className="muted small">priority {w.priority}</span>
      </div>
      <div className="counts">
        {counts.map(([key, label]) => {
          const shown = (
            <>
              <strong data-testid={`count-${key}`}>{w.counts[key]}</strong>
              <span>{label}</span>
            </>
          );
          // The executions page lists the current workspace's; another card's counts are not links.
          return current ? (
            <Link key={key} to={`/executions?status=${key}`} className={`count count-${key}`}>
              {shown}
            </Link>
          ) : (
            <span key={key} className={`count count-${key}`}>
              {shown}
            </span>
          );
        })}
      </div>
      <div className="card-actions">
        {current ? (
          <>
            <Link to="/workflows">Workflows</Link>
            <Link to="/executions">Executions</Link>
          </>
        ) : (
          <button type="button" className="small" onClick={onSwitch}>
            Switch to {w.name}
          </button>
        )}
      </div>
    </li>
  );
}
