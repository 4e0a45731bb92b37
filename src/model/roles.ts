/** Roles a member (or an API key) has in a workspace, and what each may do. Pure: no I/O. */
export const ROLES = ['admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'workflows.read',
  'workflows.write',
  'executions.read',
  'executions.start',
  'executions.control',
  'conversations.use',
  /** List and search knowledge bases and their documents. */
  'knowledge.read',
  /** Create, rename and delete knowledge bases; add and delete documents. */
  'knowledge.write',
  /** The personal assistant's tasks and reminders. */
  'tasks.read',
  'tasks.write',
  /** Members, invitations, API keys, secrets and the audit log. */
  'workspace.admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const VIEWER: readonly Permission[] = [
  'workflows.read',
  'executions.read',
  'executions.start',
  'conversations.use',
  'knowledge.read',
  'tasks.read',
];
const EDITOR: readonly Permission[] = [
  ...VIEWER,
  'workflows.write',
  'executions.control',
  'knowledge.write',
  'tasks.write',
];

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  viewer: new Set(VIEWER),
  editor: new Set(EDITOR),
  admin: new Set(PERMISSIONS),
};

export function can(role: Role | undefined, permission: Permission): boolean {
  return role !== undefined && GRANTS[role].has(permission);
}

/**
 * Who may reach a route: anyone; anyone signed in; an instance admin; an instance admin or the operator
 * (ADMIN_TOKEN, or a loopback caller when it is unset); or a permission in the workspace the request acts in.
 */
export type Access = 'public' | 'signed-in' | 'instance-admin' | 'operator' | Permission;

/** Words for error messages: "your role viewer cannot edit workflows". */
export const PERMISSION_WORDS: Record<Permission, string> = {
  'workflows.read': 'read workflows',
  'workflows.write': 'create, edit, publish or delete workflows',
  'executions.read': 'read executions',
  'executions.start': 'start executions',
  'executions.control': 'control executions (pause, resume, cancel, retry, skip, answer)',
  'conversations.use': 'use conversations',
  'knowledge.read': 'list or search knowledge bases',
  'knowledge.write': 'create, rename or delete knowledge bases, or add or delete their documents',
  'tasks.read': 'read tasks',
  'tasks.write': 'create, change or delete tasks',
  'workspace.admin': 'manage members, invitations, API keys, secrets or read the audit log',
};
