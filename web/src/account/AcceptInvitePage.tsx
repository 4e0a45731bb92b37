import { useState } from 'react';
import type { Role } from '../../../src/model/roles.ts';
import { errorText, publicApi } from '../lib/api.ts';
import { useAction } from '../lib/use-action.ts';
import { useLoad } from '../lib/use-load.ts';
import { navigate } from '../lib/use-route.ts';
import { chooseWorkspace } from '../lib/workspace-choice.ts';
import { Link } from '../ui/Link.tsx';
import { Loading } from '../ui/feedback.tsx';
import { TextField } from '../ui/TextField.tsx';
import { AuthCard, FormError } from './AuthCard.tsx';
import { NewPasswordFields } from './NewPasswordFields.tsx';
import { newPasswordProblem } from './account-logic.ts';

interface Offer {
  workspaceName: string;
  email: string;
  role: Role;
  accountExists: boolean;
}

/** `/invite/<token>`: join a workspace, creating the account (name + password) or proving the existing one. */
export function AcceptInvitePage({ token }: { token: string }) {
  const path = `/api/v1/invitations/accept/${encodeURIComponent(token)}`;
  const offer = useLoad(() => publicApi<Offer>('GET', path), token);
  if (offer.error) {
    return (
      <AuthCard title="This invitation cannot be used">
        <FormError message={errorText(offer.error)} />
        <p>
          <Link to="/sign-in">Sign in</Link> if you already have an account.
        </p>
      </AuthCard>
    );
  }
  if (!offer.data) return <Loading what="the invitation" />;
  return <AcceptForm path={path} offer={offer.data} />;
}

function AcceptForm({ path, offer }: { path: string; offer: Offer }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction();

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const wrong = offer.accountExists ? null : newPasswordProblem(password, repeat);
    setProblem(wrong);
    if (wrong) return;
    const joined = await action.run(() =>
      publicApi<{ workspaceId: string }>('POST', path, { password, ...(name.trim() ? { name: name.trim() } : {}) }),
    );
    if (!joined) return;
    chooseWorkspace(joined.workspaceId);
    // Replace, so the one-time link does not stay in the history.
    navigate('/', { replace: true });
  }

  return (
    <AuthCard title={`Join ${offer.workspaceName}`}>
      <p>
        You are invited as <strong data-testid="invited-role">{offer.role}</strong> with <strong>{offer.email}</strong>.
      </p>
      <form onSubmit={(e) => void submit(e)} aria-label="Accept the invitation">
        {offer.accountExists ? (
          <TextField
            id="invite-password"
            label="Your password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={setPassword}
            hint="You already have an account: enter its password to join."
          />
        ) : (
          <>
            <TextField
              id="invite-name"
              label="Your name"
              autoComplete="name"
              maxLength={200}
              value={name}
              onChange={setName}
            />
            <NewPasswordFields password={password} repeat={repeat} onPassword={setPassword} onRepeat={setRepeat} />
          </>
        )}
        <FormError message={problem ?? (action.error ? errorText(action.error) : null)} />
        <button type="submit" className="primary wide" disabled={action.busy}>
          {offer.accountExists ? 'Join' : 'Create my account and join'}
        </button>
      </form>
    </AuthCard>
  );
}
