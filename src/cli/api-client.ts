import { CliError } from './read-json.ts';
import { formatProblems } from './output.ts';
import type { Problem } from '../model/problem.ts';

export const DEFAULT_URL = 'http://localhost:3000';

/** The server could not be reached, or answered that it is not available now (502/503/504): worth trying again. */
export class ServerUnavailable extends CliError {}

interface ErrorEnvelope {
  error?: { code?: string; message?: string; details?: Problem[] };
}

/**
 * Calls a running Duet server with DUET_API_KEY; turns transport and API errors into messages that say what to do.
 * A FormData body goes as multipart (file uploads), anything else as JSON.
 */
export async function callApi<T>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(new URL(path, baseUrl), {
      method,
      headers: {
        ...(body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' }),
        ...(process.env.DUET_API_KEY ? { authorization: `Bearer ${process.env.DUET_API_KEY}` } : {}),
      },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new ServerUnavailable(
      `cannot reach Duet at ${baseUrl} (${(error as Error).cause ?? (error as Error).message}); start it with \`npm start\` or pass --url`,
    );
  }
  const text = await response.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    // A proxy's HTML error page, say: the status says enough.
    data = undefined;
  }
  if (!response.ok) {
    const envelope = (data ?? {}) as ErrorEnvelope;
    const details = envelope.error?.details?.length ? `\n${formatProblems(envelope.error.details)}` : '';
    if (response.status === 401 && !process.env.DUET_API_KEY) {
      throw new CliError(
        `${envelope.error?.message ?? 'the server wants credentials'}\nSet DUET_API_KEY to an API key of the workspace (e.g. \`duet api-keys create --role editor\` on the server's database, or Settings → API keys).`,
      );
    }
    const message = `${envelope.error?.message ?? `the server answered ${response.status}`}${details}`;
    throw [502, 503, 504].includes(response.status) ? new ServerUnavailable(message) : new CliError(message);
  }
  return data as T;
}
