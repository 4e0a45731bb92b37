import { useState } from 'react';
import { Link } from '../ui/Link.tsx';
import { RunPanel } from '../run/RunPanel.tsx';
import { useRun } from '../run/use-run.ts';
import { Loading, PageError, StatusBadge, timeAgo } from '../ui/feedback.tsx';
import { JourneyGraph } from './JourneyGraph.tsx';

type Tab = 'trace' | 'events' | 'journey';

/** One execution: step trace, full event log (live), the journey it follows, and the run controls. */
export function ExecutionPage({ executionId }: { executionId: string }) {
  const follow = useRun(executionId);
  const [tab, setTab] = useState<Tab>('trace');
  const [selected, setSelected] = useState<string | null>(null);
  const { execution, run } = follow;
  if (!execution)
    return follow.error ? (
      <PageError error={follow.error} what="execution" back={{ to: '/executions', label: 'All executions' }} />
    ) : (
      <Loading what="the execution" />
    );
  return (
    <section className="content execution-page">
      <div className="page-head">
        <h1>
          Execution <code>{execution.id.slice(0, 8)}</code>
        </h1>
        <StatusBadge status={execution.status} />
        <span className="muted">
          v{execution.version} · {execution.mode} · started {timeAgo(execution.createdAt)}
        </span>
        <Link to={`/workflows/${execution.workflowId}`}>Open workflow</Link>
      </div>
      <div className="split">
        <div>
          <div className="tabs" role="tablist">
            {(['trace', 'events', 'journey'] as const).map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                aria-selected={tab === t}
                className={tab === t ? 'active' : ''}
                onClick={() => setTab(t)}
              >
                {t === 'trace' ? 'Step trace' : t === 'events' ? 'Event log' : 'Journey'}
              </button>
            ))}
          </div>
          {tab === 'trace' && (
            <table className="table" data-testid="step-trace">
              <thead>
                <tr>
                  <th>Step</th>
                  <th>Type</th>
                  <th>Attempt</th>
                  <th>Status</th>
                  <th>Took</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {(execution.steps ?? []).map((s) => (
                  <tr key={`${s.nodeId}:${s.attempt}`} className={selected === s.nodeId ? 'selected' : ''}>
                    <td>
                      <code>{s.nodeId}</code>
                    </td>
                    <td>{s.type}</td>
                    <td>{s.attempt}</td>
                    <td>
                      <StatusBadge status={s.status} />
                    </td>
                    <td>
                      {s.startedAt && s.finishedAt
                        ? `${new Date(s.finishedAt).getTime() - new Date(s.startedAt).getTime()} ms`
                        : '—'}
                    </td>
                    <td>
                      <button type="button" className="small" onClick={() => setSelected(s.nodeId)}>
                        Details
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {tab === 'events' && (
            <ol className="event-log" data-testid="event-log">
              {run?.timeline.map((e) => (
                <li key={e.offset}>
                  <span className="offset">#{e.offset}</span> <code>{e.type}</code>
                  {e.nodeId && (
                    <>
                      {' '}
                      · <code>{e.nodeId}</code>
                    </>
                  )}{' '}
                  <span className="muted">{new Date(e.at).toLocaleTimeString()}</span>
                </li>
              ))}
            </ol>
          )}
          {tab === 'journey' && <JourneyGraph workflowId={execution.workflowId} version={execution.version} />}
        </div>
        <RunPanel
          workflowId={execution.workflowId}
          inputs={undefined}
          published
          follow={follow}
          selectedNodeId={selected}
          onStarted={() => undefined}
          onPublish={() => undefined}
          hideStart
        />
      </div>
    </section>
  );
}
