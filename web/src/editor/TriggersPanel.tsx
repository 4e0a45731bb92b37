import { useState } from 'react';
import type { TriggerView } from '../../../src/model/triggers.ts';
import { api } from '../lib/api.ts';
import { useAction } from '../lib/use-action.ts';
import { useLoad } from '../lib/use-load.ts';
import { ErrorBox, Loading } from '../ui/feedback.tsx';

/** The start block's triggers: webhooks with their URL, schedules with their next fire times, and a form to add one. */
export function TriggersPanel({ workflowId }: { workflowId: string }) {
  const base = `/api/v1/workflows/${encodeURIComponent(workflowId)}/triggers`;
  const triggers = useLoad(() => api<{ items: TriggerView[] }>('GET', base), workflowId);
  const action = useAction();
  const act = async (work: () => Promise<unknown>) => {
    if ((await action.run(work)) !== undefined) await triggers.reload();
  };
  if (triggers.error) return <ErrorBox error={triggers.error} onRetry={triggers.reload} />;
  if (!triggers.data) return <Loading what="triggers" />;
  return (
    <section className="triggers" data-testid="triggers-panel">
      <h3>Triggers</h3>
      <p className="muted">They start the latest published version.</p>
      <ul className="trigger-list">
        {triggers.data.items.map((t) => (
          <li key={t.id} data-testid="trigger">
            <strong>{t.type}</strong> {t.enabled ? '' : <span className="muted">(paused)</span>}{' '}
            {t.url && <code>{`${location.origin}${t.url}`}</code>}
            {t.type === 'schedule' && (
              <>
                <code>{(t.config as { cron: string }).cron}</code>{' '}
                <span className="muted">{(t.config as { timezone: string }).timezone}</span>
                <ol className="next-runs">
                  {(t.nextRuns ?? []).map((run) => (
                    <li key={run}>{new Date(run).toLocaleString()}</li>
                  ))}
                </ol>
              </>
            )}
            <button
              type="button"
              onClick={() => act(() => api('PATCH', `/api/v1/triggers/${t.id}`, { enabled: !t.enabled }))}
            >
              {t.enabled ? 'Pause' : 'Resume'}
            </button>{' '}
            <button type="button" onClick={() => act(() => api('DELETE', `/api/v1/triggers/${t.id}`))}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      <ErrorBox error={action.error} onDismiss={action.clearError} />
      <AddTrigger onAdd={(body) => act(() => api('POST', base, body))} />
    </section>
  );
}

/** A webhook (path, optional signature or token scheme with its secret) or a schedule (cron, time zone, catch-up). */
function AddTrigger({ onAdd }: { onAdd: (body: object) => Promise<void> }) {
  const [type, setType] = useState<'webhook' | 'schedule'>('webhook');
  const [path, setPath] = useState('');
  const [scheme, setScheme] = useState('none');
  const [secret, setSecret] = useState('');
  const [cron, setCron] = useState('0 9 * * 1-5');
  const [timezone, setTimezone] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [catchUp, setCatchUp] = useState('skip');
  const submit = () =>
    onAdd(
      type === 'webhook'
        ? { type, config: { path, auth: scheme === 'none' ? { scheme } : { scheme, secret } } }
        : { type, config: { cron, timezone, catchUp } },
    );
  return (
    <form
      className="add-trigger"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="field">
        <label htmlFor="trigger-type">Add a trigger</label>
        <select id="trigger-type" value={type} onChange={(e) => setType(e.target.value as typeof type)}>
          <option value="webhook">Webhook</option>
          <option value="schedule">Schedule</option>
        </select>
      </div>
      {type === 'webhook' ? (
        <>
          <div className="field">
            <label htmlFor="trigger-path">Path</label>
            <input id="trigger-path" value={path} placeholder="new-order" onChange={(e) => setPath(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="trigger-scheme">Check</label>
            <select id="trigger-scheme" value={scheme} onChange={(e) => setScheme(e.target.value)}>
              <option value="none">Nothing (anyone with the URL)</option>
              <option value="hmac">X-Duet-Signature (HMAC-SHA256)</option>
              <option value="standard">Standard Webhooks signature</option>
              <option value="token">Shared token</option>
            </select>
          </div>
          {scheme !== 'none' && (
            <div className="field">
              <label htmlFor="trigger-secret">Workspace secret holding the key</label>
              <input
                id="trigger-secret"
                value={secret}
                placeholder="WEBHOOK_SECRET"
                onChange={(e) => setSecret(e.target.value)}
              />
            </div>
          )}
        </>
      ) : (
        <>
          <div className="field">
            <label htmlFor="trigger-cron">Cron (minute hour day month weekday)</label>
            <input id="trigger-cron" value={cron} onChange={(e) => setCron(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="trigger-timezone">Time zone</label>
            <input id="trigger-timezone" value={timezone} onChange={(e) => setTimezone(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="trigger-catchup">Missed while down</label>
            <select id="trigger-catchup" value={catchUp} onChange={(e) => setCatchUp(e.target.value)}>
              <option value="skip">Skip them</option>
              <option value="once">Run once</option>
              <option value="all">Run each (up to 10)</option>
            </select>
          </div>
        </>
      )}
      <button type="submit">Add</button>
    </form>
  );
}
