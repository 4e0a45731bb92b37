/** Time filters the list offers; the API has no time filter, so pages are filtered as they arrive. */
export const SINCE_OPTIONS = [
  { value: 'all', label: 'any time', ms: Infinity },
  { value: '1h', label: 'last hour', ms: 3_600_000 },
  { value: '24h', label: 'last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'last 7 days', ms: 7 * 86_400_000 },
] as const;

export function withinSince(createdAt: string, since: string, now = Date.now()): boolean {
  const option = SINCE_OPTIONS.find((o) => o.value === since) ?? SINCE_OPTIONS[0];
  return now - new Date(createdAt).getTime() <= option.ms;
}

/** The list query: filters that are set, plus a page size unless only the page URL is wanted. */
export function executionsQuery(filters: { workflowId?: string; status?: string }, withLimit = true): string {
  const params = new URLSearchParams();
  if (withLimit) params.set('limit', '50');
  if (filters.workflowId) params.set('workflowId', filters.workflowId);
  if (filters.status) params.set('status', filters.status);
  return params.toString();
}
