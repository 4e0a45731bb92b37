import { StepError } from './types.ts';

/** The most of a response body the http block reads; a step's output is capped far lower anyway. */
export const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

export interface HttpOutput {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: unknown;
}

/** Reads and decodes a response. `label` ("POST http://…") names the request in errors. */
export async function readResponse(response: Response, label: string): Promise<HttpOutput> {
  const headers: Record<string, string> = {};
  // Set-Cookie arrives as separate entries; join them like Node's http module joins repeated headers.
  response.headers.forEach((value, name) => {
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  });
  const bytes = await readCapped(response, label);
  return {
    status: response.status,
    statusText: response.statusText,
    headers,
    body: parseBody(bytes, response.headers.get('content-type')),
  };
}

/** Reads the stream chunk by chunk so a huge or endless answer fails at the cap instead of filling memory. */
async function readCapped(response: Response, label: string): Promise<Uint8Array> {
  const tooLarge = () =>
    new StepError(
      `${label} answered with more than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB; the http block reads at most that`,
      'response_too_large',
      false,
    );
  if (Number(response.headers.get('content-length')) > MAX_RESPONSE_BYTES) {
    response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, size);
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      reader.cancel().catch(() => undefined); // closes the connection rather than draining the rest
      throw tooLarge();
    }
    chunks.push(value);
  }
}

/** JSON → parsed (raw text if it does not parse), textual → string, anything else → base64. Empty → null. */
export function parseBody(bytes: Uint8Array, contentType: string | null): unknown {
  if (bytes.byteLength === 0) return null;
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) {
    const text = decode(bytes, contentType);
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  if (
    type.startsWith('text/') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/x-www-form-urlencoded'
  ) {
    return decode(bytes, contentType);
  }
  return { base64: Buffer.from(bytes).toString('base64'), contentType, size: bytes.byteLength };
}

function decode(bytes: Uint8Array, contentType: string | null): string {
  const charset = /charset="?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder().decode(bytes); // an unknown charset label: UTF-8 is the best guess
  }
}
