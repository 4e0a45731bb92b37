import { TextField } from '../ui/TextField.tsx';
import { PASSWORD_MAX, PASSWORD_MIN } from './account-logic.ts';

/** A new password typed twice; the page checks them with newPasswordProblem before sending (no minLength: its message says more than the browser's). */
export function NewPasswordFields({
  password,
  repeat,
  onPassword,
  onRepeat,
}: {
  password: string;
  repeat: string;
  onPassword: (v: string) => void;
  onRepeat: (v: string) => void;
}) {
  return (
    <>
      <TextField
        id="new-password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        maxLength={PASSWORD_MAX}
        value={password}
        onChange={onPassword}
        hint={`At least ${PASSWORD_MIN} characters.`}
      />
      <TextField
        id="repeat-password"
        label="Repeat the password"
        type="password"
        autoComplete="new-password"
        required
        maxLength={PASSWORD_MAX}
        value={repeat}
        onChange={onRepeat}
      />
    </>
  );
}
