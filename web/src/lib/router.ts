/** The settings sections a workspace admin sees, in tab order. */
export const SETTINGS_SECTIONS = ['members', 'invitations', 'api-keys', 'secrets', 'audit', 'sign-ins'] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

/** The app's pages; paths are real URLs (the server answers index.html for each). */
export type Route =
  | { page: 'dashboard' }
  | { page: 'workflows' }
  | { page: 'editor'; workflowId: string }
  | { page: 'executions'; workflowId?: string; status?: string }
  | { page: 'execution'; executionId: string }
  | { page: 'settings'; section: SettingsSection }
  | { page: 'knowledge' }
  | { page: 'knowledge-base'; knowledgeBaseId: string; documentId?: string }
  | { page: 'tasks' }
  | { page: 'sign-in'; next: string }
  | { page: 'setup'; next: string }
  | { page: 'invite'; token: string }
  | { page: 'not-found'; path: string };

/** Pages anyone may open: they must not wait for (or redirect on) a session. */
export const PUBLIC_PAGES: ReadonlySet<Route['page']> = new Set(['sign-in', 'setup', 'invite']);

/** Pure: a location to a route. */
export function matchRoute(pathname: string, search = ''): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(search);
  if (parts.length === 0) return { page: 'dashboard' };
  if (parts[0] === 'workflows' && parts.length === 1) return { page: 'workflows' };
  if (parts[0] === 'workflows' && parts.length === 2) return { page: 'editor', workflowId: parts[1]! };
  if (parts[0] === 'executions' && parts.length === 1) {
    return {
      page: 'executions',
      workflowId: query.get('workflowId') ?? undefined,
      status: query.get('status') ?? undefined,
    };
  }
  if (parts[0] === 'tasks' && parts.length === 1) return { page: 'tasks' };
  if (parts[0] === 'executions' && parts.length === 2) return { page: 'execution', executionId: parts[1]! };
  if (parts[0] === 'knowledge' && parts.length === 1) return { page: 'knowledge' };
  if (parts[0] === 'knowledge' && parts.length === 2)
    return { page: 'knowledge-base', knowledgeBaseId: parts[1]!, documentId: query.get('document') ?? undefined };
  if (parts[0] === 'settings' && parts.length <= 2) {
    const section = (parts[1] ?? SETTINGS_SECTIONS[0]) as SettingsSection;
    if (SETTINGS_SECTIONS.includes(section)) return { page: 'settings', section };
  }
  if ((parts[0] === 'sign-in' || parts[0] === 'setup') && parts.length === 1)
    return { page: parts[0], next: safeNext(query.get('next')) };
  if (parts[0] === 'invite' && parts.length === 2) return { page: 'invite', token: parts[1]! };
  return { page: 'not-found', path: pathname };
}

/**
 * Where to go after signing in: a path of this app only (never `//host` or `https://…`, so a crafted sign-in link
 * cannot send someone elsewhere), and never back to a sign-in page.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  const path = next.split(/[?#]/)[0]!;
  return PUBLIC_PAGES.has(matchRoute(path).page) ? '/' : next;
}

/** The sign-in page that returns to `location` afterwards. */
export function signInPath(location: { pathname: string; search: string }): string {
  const here = location.pathname + location.search;
  const next = safeNext(here);
  return next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`;
}
