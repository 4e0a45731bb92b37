import { DuetError } from '../model/errors.ts';
import { addressNotAllowed } from '../net/guarded-fetch.ts';

export interface Fetched {
  bytes: Buffer;
  contentType: string | undefined;
  /** The last path segment, for telling the format by its extension. */
  fileName: string;
}

/**
 * Downloads a document for a knowledge base through the SSRF-guarded fetch (the same policy as `http` blocks):
 * private addresses, answers over `maxBytes`, errors and slow servers are refused with the reason.
 */
export async function fetchDocument(
  fetch: typeof globalThis.fetch,
  url: string,
  options: { maxBytes: number; timeoutMs: number },
): Promise<Fetched> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs), redirect: 'follow' });
  } catch (error) {
    const refused = addressNotAllowed(error);
    if (refused) throw new DuetError('invalid_input', `${url} cannot be fetched: ${refused.message}`);
    if (error instanceof Error && error.name === 'TimeoutError')
      throw new DuetError('invalid_input', `${url} did not answer within ${options.timeoutMs / 1000} s`);
    throw new DuetError('invalid_input', `${url} cannot be fetched: ${error instanceof Error ? error.message : error}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new DuetError('invalid_input', `${url} answered HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (declared > options.maxBytes) {
    await response.body?.cancel();
    throw tooLarge(url, options.maxBytes);
  }
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const part of response.body ?? []) {
      size += part.byteLength;
      if (size > options.maxBytes) throw tooLarge(url, options.maxBytes);
      parts.push(Buffer.from(part));
    }
  } catch (error) {
    if (error instanceof DuetError) throw error;
    throw new DuetError(
      'invalid_input',
      `${url} could not be read to the end (${error instanceof Error ? error.message : error})`,
    );
  }
  return {
    bytes: Buffer.concat(parts),
    contentType: response.headers.get('content-type') ?? undefined,
    fileName: new URL(response.url || url).pathname.split('/').pop() ?? '',
  };
}

const tooLarge = (url: string, maxBytes: number) =>
  new DuetError('payload_too_large', `${url} is larger than KNOWLEDGE_MAX_FILE_BYTES (${maxBytes} bytes)`);
