import { useState } from 'react';
import { errorText, publicApi } from '../lib/api.ts';
import { useAction } from '../lib/use-action.ts';
import { useLoad } from '../lib/use-load.ts';
import { navigate } from '../lib/use-route.ts';
import { Link } from '../ui/Link.tsx';
import { Loading } from '../ui/feedback.tsx';
import { TextField } from '../ui/TextField.tsx';
import { AuthCard, FormError } from './AuthCard.tsx';
import { NewPasswordFields } from './NewPasswordFields.tsx';
import { newPasswordProblem } from './account-logic.ts';

/** First run: an instance without accounts asks for its first admin (there is no default password anywhere). */
export function FirstAdminPage({ next }: { next: string }) {
  const setup = useLoad(() => publicApi<{ needsFirstAdmin: boolean }>('GET', '/api/v1/setup'), 'setup');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction();

  if (!setup.data)
    return setup.error ? (
      <AuthCard title="Duet">
        <FormError message={errorText(setup.error)} />
      </AuthCard>
    ) : (
      <Loading what="Duet" />
    );
  if (!setup.data.needsFirstAdmin) {
    return (
      <AuthCard title="Duet is set up">
        <p>
          This instance already has an admin. <Link to="/sign-in">Sign in</Link>, or ask an admin to invite you.
        </p>
      </AuthCard>
    );
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const wrong = newPasswordProblem(password, repeat);
    setProblem(wrong);
    if (wrong) return;
    const created = await action.run(() =>
      publicApi('POST', '/api/v1/setup', {
        email: email.trim(),
        password,
        ...(name.trim() ? { name: name.trim() } : {}),
      }).then(() => true),
    );
    if (created) navigate(next, { replace: true });
  }

  return (
    <AuthCard title="Create the first admin">
      <p className="muted">
        This Duet has no accounts yet. The account you create now administers the instance and its default workspace;
        invite everyone else from Settings.
      </p>
      <form onSubmit={(e) => void submit(e)} aria-label="Create the first admin">
        <TextField
          id="setup-name"
          label="Your name"
          autoComplete="name"
          maxLength={200}
          value={name}
          onChange={setName}
        />
        <TextField
          id="setup-email"
          label="Email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={setEmail}
        />
        <NewPasswordFields password={password} repeat={repeat} onPassword={setPassword} onRepeat={setRepeat} />
        <FormError message={problem ?? (action.error ? errorText(action.error) : null)} />
        <button type="submit" className="primary wide" disabled={action.busy}>
          Create the admin account
        </button>
      </form>
    </AuthCard>
  );
}
