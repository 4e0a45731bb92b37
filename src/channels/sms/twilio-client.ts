/** The account the Messages REST API is called with (TWILIO_* settings). */
export interface TwilioAccount {
  accountSid: string;
  authToken: string;
  baseUrl: string;
}

export interface OutgoingSms {
  to: string;
  from: string;
  body: string;
  /** Where the provider posts delivery reports; absent when PUBLIC_URL is not set. */
  statusCallback?: string;
}

/** What became of one send request, in the terms the outbox needs. */
export type SendOutcome =
  | { kind: 'accepted'; sid: string }
  /** Not taken, for a reason that may pass (outage, rate limit): send again later. */
  | { kind: 'retry'; code: string; message: string; retryAfterMs?: number }
  /** Refused for good (invalid number, unsubscribed recipient…): sending again would fail the same way. */
  | { kind: 'rejected'; code: string; message: string }
  /** The request may have reached the provider but no answer came back: sending again could duplicate it. */
  | { kind: 'unknown'; message: string };

const TIMEOUT_MS = 15_000;
/** Network failures that happen before a request is sent: nothing reached the provider, so a retry is safe. */
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Sends one message through `POST /2010-04-01/Accounts/{Sid}/Messages.json` (form body, basic auth). */
export async function sendSms(account: TwilioAccount, sms: OutgoingSms): Promise<SendOutcome> {
  const url = `${account.baseUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(account.accountSid)}/Messages.json`;
  const form = new URLSearchParams({ To: sms.to, From: sms.from, Body: sms.body });
  if (sms.statusCallback) form.set('StatusCallback', sms.statusCallback);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const code = networkCode(error);
    if (code && NOT_CONNECTED.has(code))
      return { kind: 'retry', code: 'provider_unreachable', message: `the SMS provider is unreachable (${code})` };
    return { kind: 'unknown', message: `no answer from the SMS provider (${code ?? describe(error)})` };
  }
  const answer = (await response.json().catch(() => ({}))) as { sid?: unknown; code?: unknown; message?: unknown };
  if (response.ok)
    return typeof answer.sid === 'string'
      ? { kind: 'accepted', sid: answer.sid }
      : { kind: 'unknown', message: `the SMS provider answered ${response.status} without a message sid` };
  const code = answer.code === undefined ? `http_${response.status}` : String(answer.code);
  const message = `the SMS provider answered ${response.status}${typeof answer.message === 'string' ? `: ${answer.message}` : ''}`;
  if (response.status === 429 || response.status >= 500) {
    const after = Number(response.headers.get('retry-after'));
    return { kind: 'retry', code, message, ...(after > 0 ? { retryAfterMs: after * 1000 } : {}) };
  }
  return { kind: 'rejected', code, message };
}

function networkCode(error: unknown): string | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (cause.name === 'TimeoutError') return 'timeout';
  }
  return undefined;
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
