/** Test-side view of a JSON response: loosely typed, since the assertions check the shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** fetch + JSON body, for tests against a listening server. */
export async function fetchJson(url: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: Json }> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
