import { useRef, useState } from 'react';
import { api } from '../lib/api.ts';
import { useLoad } from '../lib/use-load.ts';
import { ConfirmButton } from '../ui/ConfirmButton.tsx';
import { timeAgo } from '../ui/feedback.tsx';
import { Section } from './Section.tsx';
import { secretNameProblem, secretReference } from './settings-logic.ts';
import { useListWrites } from './use-collection.ts';

interface Secret {
  name: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * Credentials workflows use by name (`{{secrets.NAME}}`), stored encrypted. Values go in through a password field
 * and never come back: the list holds names and times only.
 */
export function SecretsSection() {
  const list = useLoad(() => api<{ items: Secret[] }>('GET', '/api/v1/secrets'), 'secrets');
  const action = useListWrites(list);
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const valueInput = useRef<HTMLInputElement>(null);
  const secretPath = (secret: string) => `/api/v1/secrets/${encodeURIComponent(secret)}`;

  async function save(event: React.FormEvent) {
    event.preventDefault();
    const wrong = secretNameProblem(name) ?? (value ? null : 'Type the value to store.');
    setProblem(wrong);
    if (wrong) return;
    const done = await action.write(() => api('PUT', secretPath(name), { value }).then(() => true));
    // The value leaves the page as soon as it is stored.
    setValue('');
    if (!done) return;
    setSaved(name);
    setName('');
  }
  const replace = (secret: string) => {
    setName(secret);
    setValue('');
    setSaved(null);
    valueInput.current?.focus();
  };
  const remove = (secret: string) => action.write(() => api('DELETE', secretPath(secret)));

  const form = (
    <>
      <form
        className="inline-form settings-form"
        onSubmit={(e) => void save(e)}
        aria-label="Set a secret"
        autoComplete="off"
      >
        <label className="sr-only" htmlFor="secret-name">
          Secret name
        </label>
        <input
          id="secret-name"
          placeholder="NAME, e.g. STRIPE_KEY"
          value={name}
          maxLength={64}
          spellCheck={false}
          onChange={(e) => setName(e.target.value.toUpperCase())}
        />
        <label className="sr-only" htmlFor="secret-value">
          Secret value
        </label>
        <input
          id="secret-value"
          ref={valueInput}
          type="password"
          placeholder="value (never shown again)"
          value={value}
          autoComplete="new-password"
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit" className="primary" disabled={action.busy}>
          Save secret
        </button>
      </form>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {saved && (
        <p className="notice" role="status">
          Saved {saved}. Workflows read it as <code>{secretReference(saved)}</code>.
        </p>
      )}
    </>
  );

  return (
    <Section
      title="Secrets"
      intro="API tokens and passwords for your workflows' steps, stored encrypted and never shown again."
      loaded={list}
      error={action.error}
      onDismissError={action.clearError}
      form={form}
    >
      {(data) =>
        data.items.length === 0 ? (
          <p className="muted">No secrets yet.</p>
        ) : (
          <table className="table" data-testid="secrets">
            <thead>
              <tr>
                <th>Name</th>
                <th>Use in a workflow</th>
                <th>Updated</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.items.map((s) => (
                <tr key={s.name} data-testid={`secret-${s.name}`}>
                  <td>
                    <code>{s.name}</code>
                  </td>
                  <td>
                    <code>{secretReference(s.name)}</code>
                  </td>
                  <td>{timeAgo(s.updatedAt)}</td>
                  <td>
                    <div className="row-actions">
                      <button type="button" className="small" onClick={() => replace(s.name)}>
                        Replace value
                      </button>
                      <ConfirmButton
                        label="Delete"
                        question={`Delete ${s.name}? Steps that use it will fail.`}
                        disabled={action.busy}
                        onConfirm={() => void remove(s.name)}
                      />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
    </Section>
  );
}
