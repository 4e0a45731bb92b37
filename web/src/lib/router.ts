/** The app's pages; paths are real URLs (the server answers index.html for each). */
export type Route =
  | { page: 'dashboard' }
  | { page: 'workflows' }
  | { page: 'editor'; workflowId: string }
  | { page: 'executions'; workflowId?: string; status?: string }
  | { page: 'execution'; executionId: string }
  | { page: 'not-found'; path: string };

/** Pure: a location to a route. */
export function matchRoute(pathname: string, search = ''): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(search);
  if (parts.length === 0) return { page: 'dashboard' };
  if (parts[0] === 'workflows' && parts.length === 1) return { page: 'workflows' };
  if (parts[0] === 'workflows' && parts.length === 2) return { page: 'editor', workflowId: parts[1]! };
  if (parts[0] === 'executions' && parts.length === 1) {
    return { page: 'executions', workflowId: query.get('workflowId') ?? undefined, status: query.get('status') ?? undefined };
  }
  if (parts[0] === 'executions' && parts.length === 2) return { page: 'execution', executionId: parts[1]! };
  return { page: 'not-found', path: pathname };
}
