import { useEffect, useState } from 'react';
import { publicApi } from '../lib/api.ts';
import { useAction } from '../lib/use-action.ts';
import { useLoad } from '../lib/use-load.ts';
import { navigate } from '../lib/use-route.ts';
import { TextField } from '../ui/TextField.tsx';
import { signInErrorText } from './account-logic.ts';
import { AuthCard, FormError } from './AuthCard.tsx';

/** Email and password; an instance without accounts sends the visitor on to create its first admin. */
export function SignInPage({ next }: { next: string }) {
  const setup = useLoad(() => publicApi<{ needsFirstAdmin: boolean }>('GET', '/api/v1/setup'), 'setup');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();

  // An instance without accounts has nobody to sign in as: it asks for its first admin instead.
  useEffect(() => {
    if (setup.data?.needsFirstAdmin)
      navigate(next === '/' ? '/setup' : `/setup?next=${encodeURIComponent(next)}`, { replace: true });
  }, [setup.data, next]);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const signedIn = await action.run(() =>
      publicApi('POST', '/api/auth/sign-in/email', { email: email.trim(), password }).then(() => true),
    );
    if (signedIn) navigate(next, { replace: true });
  }

  return (
    <AuthCard title="Sign in to Duet">
      <form onSubmit={(e) => void submit(e)} aria-label="Sign in">
        <TextField
          id="sign-in-email"
          label="Email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={setEmail}
        />
        <TextField
          id="sign-in-password"
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={setPassword}
        />
        <FormError message={signInErrorText(action.error)} />
        <button type="submit" className="primary wide" disabled={action.busy}>
          {action.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="muted small">No account? Ask a workspace admin for an invitation link.</p>
    </AuthCard>
  );
}
