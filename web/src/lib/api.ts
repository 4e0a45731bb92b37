/** The API's error envelope, kept as the server said it so the UI can show it word for word. */
export interface ApiProblem { code?: string; path?: string; message: string; nodeId?: string; edgeId?: string }

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: ApiProblem[] = []) {
    super(message);
  }
}

/** Calls the Duet API; a non-2xx answer becomes an ApiError carrying the envelope's code, message and details. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'the Duet server did not answer; is it running?');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : null;
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; details?: ApiProblem[] } } | null)?.error;
    throw new ApiError(response.status, error?.code ?? `http_${response.status}`, error?.message ?? (text || response.statusText), error?.details ?? []);
  }
  return (parsed ?? text) as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
