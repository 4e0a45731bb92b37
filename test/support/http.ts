/** Test-side view of a JSON response: loosely typed, since the assertions check the shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

const keys = new Map<string, string>();

/** Makes `fetchJson` to this server's origin carry the API key (servers started by the test support do this). */
export function useApiKey(serverUrl: string, key: string): void {
  keys.set(new URL(serverUrl).origin, key);
}

/**
 * fetch + JSON body, for tests against a listening server; sends the API key registered for its origin unless
 * `anonymous`.
 */
export async function fetchJson(
  url: string,
  init: { method?: string; body?: unknown; anonymous?: boolean } = {},
): Promise<{ status: number; body: Json }> {
  const key = init.anonymous ? undefined : keys.get(new URL(url).origin);
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
