import { useState } from 'react';
import { useSession } from '../account/session.tsx';
import type { InputSchema } from '../../../src/model/input-schema.ts';
import { Link } from '../ui/Link.tsx';
import { api } from '../lib/api.ts';
import type { Execution } from '../lib/types.ts';
import { ErrorBox, StatusBadge } from '../ui/feedback.tsx';
import { commandTarget, enabledCommands } from './commands.ts';
import { SchemaForm } from './SchemaForm.tsx';
import { StepDetail } from './StepDetail.tsx';
import { Timeline } from './Timeline.tsx';
import { CitationLinks } from '../knowledge/CitationLinks.tsx';
import { citationsIn } from '../knowledge/knowledge-logic.ts';
import type { RunFollow } from './use-run.ts';

interface RunPanelProps {
  workflowId: string;
  inputs: InputSchema | undefined;
  published: boolean;
  follow: RunFollow;
  selectedNodeId: string | null;
  onStarted: (executionId: string) => void;
  onPublish: () => void;
  /** The execution page shows one run; it offers no new one. */
  hideStart?: boolean;
  /** Says what a button did, for the chat's history. */
  onAction?: (text: string) => void;
}

/** Start a run from a generated form, watch it, steer it, answer what it asks. */
export function RunPanel({
  workflowId,
  inputs,
  published,
  follow,
  selectedNodeId,
  onStarted,
  onPublish,
  hideStart,
  onAction,
}: RunPanelProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [mode, setMode] = useState('');
  const { can } = useSession();
  // A viewer starts runs and watches them; steering and answering need executions.control.
  const canControl = can('executions.control');
  const { execution, run } = follow;

  async function act(work: () => Promise<Execution | void>) {
    setBusy(true);
    setError(null);
    try {
      const result = await work();
      if (result && 'steps' in result) follow.setExecution(result);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  const start = (input: Record<string, unknown>) =>
    act(async () => {
      const started = await api<{ id: string }>(
        'POST',
        `/api/v1/workflows/${encodeURIComponent(workflowId)}/executions`,
        { input, ...(mode ? { mode } : {}) },
      );
      onStarted(started.id);
      onAction?.('You started a run on the canvas.');
    });
  const command = (path: string, body?: unknown, said?: string) =>
    act(async () => {
      const result = await api<Execution>('POST', `/api/v1/executions/${execution!.id}/${path}`, body);
      onAction?.(said ?? `You pressed ${path.split('/').at(-1)} on the canvas.`);
      return result;
    });
  const allowed = enabledCommands(execution);
  const target = execution ? commandTarget(execution) : null;

  return (
    <div className="run-panel pad" data-testid="run-panel">
      {hideStart ? null : !published ? (
        <div className="notice">
          Runs use a published version.{' '}
          {can('workflows.write') ? (
            <button type="button" className="primary" onClick={onPublish}>
              Publish the draft
            </button>
          ) : (
            'Ask an editor or admin to publish this workflow.'
          )}
        </div>
      ) : (
        <details open={!execution} className="run-form">
          <summary>New run</summary>
          <div className="field">
            <label htmlFor="run-mode">Mode</label>
            <select id="run-mode" value={mode} onChange={(e) => setMode(e.target.value)}>
              <option value="">workflow default</option>
              <option value="autonomous">autonomous</option>
              <option value="step-by-step">step-by-step (pause after each step)</option>
            </select>
          </div>
          <SchemaForm
            schema={inputs}
            submitLabel="▶ Run"
            busy={busy}
            idPrefix="run-input"
            onSubmit={(values) => void start(values)}
          />
        </details>
      )}
      <ErrorBox error={error} />
      <ErrorBox error={follow.error} />
      {execution && (
        <section className="run-status" aria-live="polite">
          <div className="run-head">
            <StatusBadge status={run?.status && run.lastOffset > 0 ? run.status : execution.status} />
            <div className="progress" aria-label={`${execution.progress}% done`}>
              <div style={{ width: `${execution.progress}%` }} />
            </div>
            {!hideStart && (
              <Link to={`/executions/${execution.id}`} className="small">
                details
              </Link>
            )}
          </div>
          {canControl && (
            <div className="command-bar" role="toolbar" aria-label="Run commands">
              <button type="button" disabled={busy || !allowed.has('pause')} onClick={() => void command('pause')}>
                Pause
              </button>
              <button type="button" disabled={busy || !allowed.has('resume')} onClick={() => void command('resume')}>
                Resume
              </button>
              <button type="button" disabled={busy || !allowed.has('cancel')} onClick={() => void command('cancel')}>
                Cancel
              </button>
              <button
                type="button"
                disabled={busy || !allowed.has('retry') || !target}
                onClick={() => void command(`steps/${target}/retry`)}
              >
                Retry step
              </button>
              <button
                type="button"
                disabled={busy || !allowed.has('skip') || !target}
                onClick={() => void command(`steps/${target}/skip`)}
              >
                Skip step
              </button>
            </div>
          )}
          {execution.error && (
            <div className="error-box">
              <code className="error-code">{execution.error.code}</code> {execution.error.message}
            </div>
          )}
          {execution.status === 'waiting' && execution.waiting?.reason === 'approval' && (
            <div className="ask" data-testid="approval-ask">
              <p>
                <strong>Approval needed:</strong> {execution.waiting.prompt}
              </p>
              {canControl ? (
                <>
                  <button
                    type="button"
                    className="primary"
                    disabled={busy || !allowed.has('approve')}
                    onClick={() => void command('approval', { decision: 'approve' }, 'You approved on the canvas.')}
                  >
                    Approve
                  </button>
                  <button
                    type="button"
                    disabled={busy || !allowed.has('reject')}
                    onClick={() => void command('approval', { decision: 'reject' }, 'You rejected on the canvas.')}
                  >
                    Reject
                  </button>
                </>
              ) : (
                <p className="muted">An editor or admin decides.</p>
              )}
            </div>
          )}
          {execution.status === 'waiting' && execution.waiting?.reason === 'input' && (
            <div className="ask">
              <p>
                <strong>Input needed:</strong> {execution.waiting.prompt}
              </p>
              {canControl ? (
                <SchemaForm
                  key={execution.waiting.nodeId}
                  schema={execution.waiting.schema as InputSchema | undefined}
                  submitLabel="Send"
                  busy={busy}
                  idPrefix="step-input"
                  onSubmit={(values) => void command('input', { values }, 'You answered on the canvas.')}
                />
              ) : (
                <p className="muted">An editor or admin answers.</p>
              )}
            </div>
          )}
          {execution.status === 'completed' && execution.output !== undefined && (
            <details open>
              <summary>Output</summary>
              <pre className="json">{JSON.stringify(execution.output, null, 2)}</pre>
              <CitationLinks citations={citationsIn(execution.output)} />
            </details>
          )}
          {selectedNodeId && <StepDetail execution={execution} nodeId={selectedNodeId} />}
          {run && <Timeline entries={run.timeline} />}
        </section>
      )}
    </div>
  );
}
