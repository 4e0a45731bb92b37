import { chosenWorkspace } from './workspace-choice.ts';

/** The API's error envelope, kept as the server said it so the UI can show it word for word. */
export interface ApiProblem {
  code?: string;
  path?: string;
  message: string;
  nodeId?: string;
  edgeId?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiProblem[] = [],
  ) {
    super(message);
  }
}

const WORKSPACE_HEADER = 'x-duet-workspace';
const signedOutListeners = new Set<() => void>();

/** Called when a signed-in call answers 401 (the session ended or was revoked); returns the unsubscribe. */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => {
    signedOutListeners.delete(listener);
  };
}

export function announceSignedOut(): void {
  for (const listener of signedOutListeners) listener();
}

/**
 * Calls the Duet API as the signed-in user in the chosen workspace; a non-2xx answer becomes an ApiError carrying
 * the envelope's code, message and details, and a 401 also sends the person to the sign-in page.
 */
export function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  return send<T>(method, path, body, true);
}

/** For the sign-in, first-run and invitation pages: there a 401 is an answer to show, not a lost session. */
export function publicApi<T>(method: string, path: string, body?: unknown): Promise<T> {
  return send<T>(method, path, body, false);
}

async function send<T>(method: string, path: string, body: unknown, signedIn: boolean): Promise<T> {
  // A FormData body (file uploads) sets its own multipart content type and boundary.
  const form = body instanceof FormData;
  const headers: Record<string, string> = body === undefined || form ? {} : { 'content-type': 'application/json' };
  const workspace = chosenWorkspace();
  if (signedIn && workspace) headers[WORKSPACE_HEADER] = workspace;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : form ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'the Duet server did not answer; is it running?');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : null;
  if (!response.ok) {
    if (signedIn && response.status === 401) announceSignedOut();
    throw errorOf(response, parsed, text);
  }
  return (parsed ?? text) as T;
}

/** Duet's `{error: {code, message, details}}`, or better-auth's own `{code, message}` under /api/auth. */
function errorOf(response: Response, parsed: unknown, text: string): ApiError {
  const body = parsed as {
    error?: { code?: string; message?: string; details?: ApiProblem[] };
    code?: string;
    message?: string;
  } | null;
  const error =
    body?.error ?? (typeof body?.message === 'string' ? { code: body.code, message: body.message } : undefined);
  return new ApiError(
    response.status,
    error?.code ?? `http_${response.status}`,
    error?.message ?? (text || response.statusText),
    body?.error?.details ?? [],
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
