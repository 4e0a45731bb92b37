import { blockConfigSchemas } from '../../model/blocks.ts';
import { formatPath } from '../../model/problem.ts';
import { addressNotAllowed } from '../../net/guarded-fetch.ts';
import { readResponse, type HttpOutput } from './http-response.ts';
import { StepError, type BlockRunner, type StepContext } from './types.ts';

const DEFAULT_TIMEOUT_MS = 30_000;

/** Sends one HTTP request; 4xx/5xx answers fail the step (408, 429 and 5xx may be retried). */
export const runHttpBlock: BlockRunner = async (ctx) => {
  const parsed = blockConfigSchemas.http.safeParse(ctx.config);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => (i.path.length ? `${formatPath(i.path)}: ${i.message}` : i.message));
    throw new StepError(`invalid http config: ${issues.join('; ')}`, 'invalid_config', false);
  }
  const config = parsed.data;
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const url = parseUrl(await ctx.render(config.url));
  for (const [name, value] of await renderRecord(ctx, config.query)) url.searchParams.append(name, value);
  // Messages are stored and shown; leave out the query string, which often carries keys.
  const label = `${config.method} ${url.origin}${url.pathname}`;

  const headers = buildHeaders(await renderRecord(ctx, config.headers));
  if (!headers.has('user-agent')) headers.set('user-agent', 'Duet');
  // Always ours: lets the receiver recognise the same attempt re-sent after an engine crash.
  headers.set('idempotency-key', `${ctx.executionId}:${ctx.node.id}:${ctx.attempt}`);
  const body =
    config.method === 'GET' || config.method === 'HEAD'
      ? undefined
      : encodeBody(await ctx.render(config.body), headers);

  const timeout = AbortSignal.timeout(timeoutMs);
  let output: HttpOutput;
  try {
    const response = await ctx.services.fetch(url, {
      method: config.method,
      headers,
      body,
      signal: AbortSignal.any([ctx.signal, timeout]),
    });
    output = await readResponse(response, label);
  } catch (err) {
    throw toStepError(err, ctx.signal, timeout, label, timeoutMs);
  }

  if (output.status < 400) return { kind: 'completed', output };
  const retryable = output.status >= 500 || output.status === 408 || output.status === 429;
  const message = `${label} answered ${output.status} ${output.statusText}`.trimEnd();
  throw new StepError(message, `http_${output.status}`, retryable, output);
};

export function parseUrl(rendered: unknown): URL {
  const shown = typeof rendered === 'string' ? rendered : JSON.stringify(rendered);
  const invalid = (why: string) => new StepError(`the url ${why}: "${shown}"`, 'invalid_url', false);
  if (typeof rendered !== 'string' || !URL.canParse(rendered)) throw invalid('is not an absolute http(s) URL');
  const url = new URL(rendered);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('is not an absolute http(s) URL');
  // fetch refuses such URLs; say why here (without echoing the password) instead of retrying a network error.
  if (url.username || url.password) {
    throw new StepError(
      'the url must not contain credentials; send them in an Authorization header',
      'invalid_url',
      false,
    );
  }
  return url;
}

/** Renders a `{name: template}` record; a template may yield any JSON value, so non-strings become JSON and null/undefined are left out. */
async function renderRecord(
  ctx: StepContext,
  record: Record<string, string> | undefined,
): Promise<Array<[string, string]>> {
  const rendered = (await ctx.render(record ?? {})) as Record<string, unknown>;
  return Object.entries(rendered).flatMap(([name, value]): Array<[string, string]> => {
    if (value === undefined || value === null) return [];
    return [[name, typeof value === 'string' ? value : JSON.stringify(value)]];
  });
}

function buildHeaders(entries: Array<[string, string]>): Headers {
  const headers = new Headers();
  for (const [name, value] of entries) {
    try {
      headers.set(name, value);
    } catch {
      throw new StepError(
        `header "${name}" has an invalid name or value (line breaks are not allowed)`,
        'invalid_config',
        false,
      );
    }
  }
  return headers;
}

/** Strings go as they are, other JSON values as JSON; a header the user set keeps its content type. */
function encodeBody(body: unknown, headers: Headers): string | undefined {
  if (body === undefined) return undefined;
  const isText = typeof body === 'string';
  if (!headers.has('content-type'))
    headers.set('content-type', isText ? 'text/plain; charset=utf-8' : 'application/json');
  return isText ? body : JSON.stringify(body);
}

export function toStepError(
  err: unknown,
  cancel: AbortSignal,
  timeout: AbortSignal,
  label: string,
  timeoutMs: number,
): StepError {
  if (err instanceof StepError) return err;
  // Not retried: the same address would be refused again until an operator changes HTTP_ALLOWED_HOSTS.
  const refused = addressNotAllowed(err);
  if (refused) return new StepError(`${label} refused: ${refused.message}`, 'address_not_allowed', false);
  // The engine aborts ctx.signal for a cancel and for its own step timeout; only the latter is worth retrying.
  if (cancel.aborted && !isTimeout(cancel.reason)) return new StepError('cancelled', 'cancelled', false);
  if (cancel.aborted || timeout.aborted) {
    const limit = timeout.aborted ? ` within ${timeoutMs} ms` : ' before the step timeout';
    return new StepError(`${label} did not answer${limit}`, 'timeout', true);
  }
  return new StepError(`${label} failed: ${causeMessage(err)}`, 'network_error', true);
}

function isTimeout(reason: unknown): boolean {
  return reason instanceof DOMException && reason.name === 'TimeoutError';
}

/** fetch reports "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND…) is in its cause. */
function causeMessage(err: unknown): string {
  const cause = err instanceof Error && err.cause !== undefined ? err.cause : err;
  if (cause instanceof AggregateError) return cause.errors.map(causeMessage).join('; ');
  if (!(cause instanceof Error)) return String(cause);
  return cause.message || String((cause as { code?: unknown }).code ?? cause.name);
}
