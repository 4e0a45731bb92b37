import { ConfirmButton } from '../ui/ConfirmButton.tsx';
import { CopyField } from '../ui/CopyField.tsx';
import { timeAgo } from '../ui/feedback.tsx';
import { Section } from './Section.tsx';
import { TextAndRoleForm } from './TextAndRoleForm.tsx';
import { useCollection } from './use-collection.ts';
import { invitationStatus, type Invitation } from './settings-logic.ts';

/** What creating an invitation answers: the link, and whether Duet emailed it (SMTP_URL set). */
type SentInvitation = Invitation & { link: string; emailed: boolean; emailError?: string };

/** Invite by email with a role; the link is emailed when a mailer is set up and always shown; open ones can be revoked. */
export function InvitationsSection() {
  const invitations = useCollection<Invitation, SentInvitation>('/api/v1/invitations');
  const { list, writes: action, created: sent } = invitations;

  const form = (
    <>
      <TextAndRoleForm
        label="Invite someone"
        id="invite-email"
        type="email"
        textLabel="Email to invite"
        roleLabel="Role of the invited person"
        submitLabel="Invite"
        placeholder="name@example.com"
        maxLength={254}
        busy={action.busy}
        onSubmit={(email, role) => invitations.create({ email, role })}
      />
      {sent && (
        <div className={`${sent.emailError ? 'warning' : 'notice'} reveal`} role="status" data-testid="invitation-link">
          <p>
            {sent.emailed ? (
              <>
                Emailed the link to <strong>{sent.email}</strong>; it works once, until{' '}
                {new Date(sent.expiresAt).toLocaleString()}. You can also pass it on yourself:
              </>
            ) : (
              <>
                {sent.emailError && <>{sent.emailError}. </>}Send this link to <strong>{sent.email}</strong>; it works
                once, until {new Date(sent.expiresAt).toLocaleString()}.
              </>
            )}
          </p>
          <CopyField label="Invitation link" value={sent.link} />
        </div>
      )}
    </>
  );

  return (
    <Section
      title="Invitations"
      intro="People join through a one-time link with the role you choose."
      loaded={list}
      error={action.error}
      onDismissError={action.clearError}
      form={form}
    >
      {(data) =>
        data.items.length === 0 ? (
          <p className="muted">No invitations yet.</p>
        ) : (
          <table className="table" data-testid="invitations">
            <thead>
              <tr>
                <th>Email</th>
                <th>Role</th>
                <th>Status</th>
                <th>Invited by</th>
                <th>Sent</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.items.map((inv) => {
                const status = invitationStatus(inv);
                return (
                  <tr key={inv.id} data-testid={`invitation-${inv.email}`}>
                    <td>{inv.email}</td>
                    <td>{inv.role}</td>
                    <td>
                      <span className={`badge inv-${status}`}>{status}</span>
                    </td>
                    <td>{inv.invitedBy ?? '—'}</td>
                    <td>{timeAgo(inv.createdAt)}</td>
                    <td>
                      {status === 'open' && (
                        <ConfirmButton
                          label="Revoke"
                          question={`Revoke the invitation of ${inv.email}?`}
                          disabled={action.busy}
                          onConfirm={() => void invitations.revoke(inv.id)}
                        />
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )
      }
    </Section>
  );
}
