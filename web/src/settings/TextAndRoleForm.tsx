import { useState } from 'react';
import type { Role } from '../../../src/model/roles.ts';
import { ROLE_HINTS } from '../account/account-logic.ts';
import { RoleSelect } from '../ui/RoleSelect.tsx';

interface TextAndRoleFormProps {
  /** Names the form and its fields for screen readers (and tests). */
  label: string;
  id: string;
  textLabel: string;
  roleLabel: string;
  submitLabel: string;
  placeholder: string;
  type?: 'email' | 'text';
  maxLength: number;
  busy: boolean;
  /** Resolves true when it worked; the text is then cleared for the next one. */
  onSubmit: (text: string, role: Role) => Promise<boolean>;
}

/** One line: an email or a name, a role (with what it may do), and a button; for invitations and API keys. */
export function TextAndRoleForm(props: TextAndRoleFormProps) {
  const [text, setText] = useState('');
  const [role, setRole] = useState<Role>('editor');
  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (await props.onSubmit(text.trim(), role)) setText('');
  }
  return (
    <>
      <form className="inline-form settings-form" onSubmit={(e) => void submit(e)} aria-label={props.label}>
        <label className="sr-only" htmlFor={props.id}>
          {props.textLabel}
        </label>
        <input
          id={props.id}
          type={props.type ?? 'text'}
          required
          placeholder={props.placeholder}
          value={text}
          maxLength={props.maxLength}
          onChange={(e) => setText(e.target.value)}
        />
        <RoleSelect id={`${props.id}-role`} label={props.roleLabel} value={role} onChange={setRole} />
        <button type="submit" className="primary" disabled={props.busy}>
          {props.submitLabel}
        </button>
      </form>
      <p className="hint">
        {role}: {ROLE_HINTS[role]}.
      </p>
    </>
  );
}
