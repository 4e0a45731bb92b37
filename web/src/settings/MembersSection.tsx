import type { Role } from '../../../src/model/roles.ts';
import { useSession } from '../account/session.tsx';
import { api } from '../lib/api.ts';
import { useLoad } from '../lib/use-load.ts';
import { useState } from 'react';
import { ConfirmButton } from '../ui/ConfirmButton.tsx';
import { CopyField } from '../ui/CopyField.tsx';
import { timeAgo } from '../ui/feedback.tsx';
import { RoleSelect } from '../ui/RoleSelect.tsx';
import { Section } from './Section.tsx';
import { useListWrites } from './use-collection.ts';

interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

/** Who belongs to the workspace: change a role or remove someone (the last admin stays, the server says why). */
export function MembersSection() {
  const session = useSession();
  const list = useLoad(() => api<{ items: Member[] }>('GET', '/api/v1/members'), 'members');
  const action = useListWrites(list);
  const memberPath = (m: Member) => `/api/v1/members/${encodeURIComponent(m.userId)}`;
  const [reset, setReset] = useState<{ email: string; password: string } | null>(null);
  const resetPassword = async (m: Member) => {
    const answer = await action.write(() =>
      api<{ password: string }>('POST', `/api/v1/admin/users/${encodeURIComponent(m.userId)}/password`),
    );
    if (answer) setReset({ email: m.email, password: answer.password });
  };
  const change = async (member: Member, work: () => Promise<unknown>) => {
    await action.write(work);
    // Changing one's own role (or leaving) changes what this page, and the whole app, may show.
    if (member.userId === session.me.user.id) await session.reload();
  };

  return (
    <Section
      title="Members"
      intro="Everyone who can sign in to this workspace, with their role. Add people from Invitations."
      loaded={list}
      error={action.error}
      onDismissError={action.clearError}
    >
      {(data) => (
        <>
          {reset && (
            <div className="warning reveal" role="status" data-testid="reset-password">
              <p>
                <strong>New password for {reset.email}: it is shown only this once.</strong> Give it to them privately;
                their other sessions were signed out.
              </p>
              <CopyField label={`New password for ${reset.email}`} value={reset.password} />
              <button type="button" className="small" onClick={() => setReset(null)}>
                I have passed it on
              </button>
            </div>
          )}
          <table className="table" data-testid="members">
            <thead>
              <tr>
                <th>Name</th>
                <th>Email</th>
                <th>Role</th>
                <th>Member since</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.items.map((m) => (
                <tr key={m.userId} data-testid={`member-${m.email}`}>
                  <td>
                    {m.name}
                    {m.userId === session.me.user.id && <span className="muted"> (you)</span>}
                  </td>
                  <td>{m.email}</td>
                  <td>
                    <RoleSelect
                      id={`role-${m.userId}`}
                      label={`Role of ${m.email}`}
                      value={m.role}
                      disabled={action.busy}
                      onChange={(role) => void change(m, () => api('PATCH', memberPath(m), { role }))}
                    />
                  </td>
                  <td>{timeAgo(m.createdAt)}</td>
                  <td className="actions">
                    {session.me.user.instanceAdmin && (
                      <ConfirmButton
                        label="Reset password"
                        question={`Give ${m.email} a new password and sign them out everywhere?`}
                        disabled={action.busy}
                        onConfirm={() => void resetPassword(m)}
                      />
                    )}
                    <ConfirmButton
                      label="Remove"
                      question={`Remove ${m.email}?`}
                      disabled={action.busy}
                      onConfirm={() => void change(m, () => api('DELETE', memberPath(m)))}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Section>
  );
}
