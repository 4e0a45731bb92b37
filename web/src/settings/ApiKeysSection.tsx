import type { Role } from '../../../src/model/roles.ts';
import { ConfirmButton } from '../ui/ConfirmButton.tsx';
import { CopyField } from '../ui/CopyField.tsx';
import { timeAgo } from '../ui/feedback.tsx';
import { Section } from './Section.tsx';
import { TextAndRoleForm } from './TextAndRoleForm.tsx';
import { useCollection } from './use-collection.ts';

interface ApiKey {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Keys for scripts (`Authorization: Bearer <key>`): made with a role, shown once, listed by prefix, revocable. */
export function ApiKeysSection() {
  const keys = useCollection<ApiKey, ApiKey & { key: string }>('/api/v1/api-keys');
  const { list, writes: action, created } = keys;

  const form = (
    <>
      <TextAndRoleForm
        label="Create an API key"
        id="key-name"
        textLabel="Key name"
        roleLabel="Role of the key"
        submitLabel="Create key"
        placeholder="What is it for? e.g. nightly import"
        maxLength={100}
        busy={action.busy}
        onSubmit={(name, role) => keys.create({ name, role })}
      />
      {created && (
        <div className="warning reveal" role="status" data-testid="new-api-key">
          <p>
            <strong>Copy this key now: it is shown only this once.</strong> Anyone holding it acts as{' '}
            <strong>{created.role}</strong> in this workspace; keep it in a secret store, and revoke it here if it
            leaks.
          </p>
          <CopyField label={`API key ${created.name}`} value={created.key} />
          <button type="button" className="small" onClick={keys.forget}>
            I have copied it
          </button>
        </div>
      )}
    </>
  );

  return (
    <Section
      title="API keys"
      intro={
        <>
          Scripts and the CLI call the API with <code>Authorization: Bearer &lt;key&gt;</code>; a key acts only in this
          workspace.
        </>
      }
      loaded={list}
      error={action.error}
      onDismissError={action.clearError}
      form={form}
    >
      {(data) =>
        data.items.length === 0 ? (
          <p className="muted">No API keys yet.</p>
        ) : (
          <table className="table" data-testid="api-keys">
            <thead>
              <tr>
                <th>Name</th>
                <th>Role</th>
                <th>Key</th>
                <th>Created</th>
                <th>Last used</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.items.map((k) => (
                <tr key={k.id} data-testid={`api-key-${k.name}`}>
                  <td>{k.name}</td>
                  <td>{k.role}</td>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td>
                    {timeAgo(k.createdAt)}
                    {k.createdBy && <span className="muted"> by {k.createdBy}</span>}
                  </td>
                  <td data-testid="last-used">{k.lastUsedAt ? timeAgo(k.lastUsedAt) : 'never'}</td>
                  <td>
                    {k.revokedAt ? (
                      <span className="badge inv-revoked">revoked {timeAgo(k.revokedAt)}</span>
                    ) : (
                      <span className="badge inv-open">active</span>
                    )}
                  </td>
                  <td>
                    {!k.revokedAt && (
                      <ConfirmButton
                        label="Revoke"
                        question={`Revoke ${k.name}? Scripts using it stop working at once.`}
                        disabled={action.busy}
                        onConfirm={() => void keys.revoke(k.id)}
                      />
                    )}
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
