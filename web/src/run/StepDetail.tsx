import type { Execution } from '../lib/types.ts';
import { StatusBadge } from '../ui/feedback.tsx';
import { CitationLinks } from '../knowledge/CitationLinks.tsx';
import { citationsIn } from '../knowledge/knowledge-logic.ts';

const MAX_SHOWN_CHARS = 20_000;
const show = (value: unknown) => {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  return text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS)}\n… (${text.length} characters)` : text;
};

/** Every attempt of one step: input, output, error. */
export function StepDetail({ execution, nodeId }: { execution: Execution; nodeId: string }) {
  const attempts = (execution.steps ?? []).filter((s) => s.nodeId === nodeId);
  return (
    <section className="step-detail" data-testid="step-detail">
      <h3>
        Step <code>{nodeId}</code>
      </h3>
      {attempts.length === 0 && <p className="muted">This step has not run in this execution.</p>}
      {attempts.map((step) => (
        <details key={step.attempt} open={step.attempt === attempts.at(-1)?.attempt}>
          <summary>
            Attempt {step.attempt} <StatusBadge status={step.status} />{' '}
            {step.handle ? <span className="muted">→ {step.handle}</span> : null}
          </summary>
          <div className="kv">
            <span>Input</span>
            <pre className="json">{show(step.input)}</pre>
          </div>
          <div className="kv">
            <span>Output</span>
            <pre className="json">{show(step.output)}</pre>
          </div>
          <CitationLinks citations={citationsIn(step.output)} />
          {step.error && (
            <div className="kv">
              <span>Error</span>
              <pre className="json error">
                {step.error.code}: {step.error.message}
              </pre>
            </div>
          )}
        </details>
      ))}
    </section>
  );
}
