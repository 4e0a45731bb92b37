import { ROLES, type Role } from '../../../src/model/roles.ts';
import { ROLE_HINTS } from '../account/account-logic.ts';

/** A role picker; each option's tooltip says what the role may do. */
export function RoleSelect({
  id,
  value,
  onChange,
  label,
  disabled,
}: {
  id: string;
  value: Role;
  onChange: (role: Role) => void;
  label: string;
  disabled?: boolean;
}) {
  return (
    <select
      id={id}
      aria-label={label}
      value={value}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value as Role)}
    >
      {ROLES.map((role) => (
        <option key={role} value={role} title={ROLE_HINTS[role]}>
          {role}
        </option>
      ))}
    </select>
  );
}
