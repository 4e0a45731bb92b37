import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

export const TWILIO_SID = 'AC00000000000000000000000000000000';
export const TWILIO_TOKEN = 'twilio-test-auth-token';
export const TWILIO_FROM = '+15005550006';
/** Twilio's magic test number for "invalid To": the API answers 400 with error 21211. */
export const INVALID_NUMBER = '+15005550001';

/**
 * Twilio's signature written out here on its own, from the documented algorithm (URL, then the POST parameters
 * sorted by name, each as name and value; HMAC-SHA1 under the auth token, base64), so tests do not check the code
 * under test against itself.
 */
export function twilioSign(token: string, url: string, params: Record<string, string>): string {
  let data = url;
  for (const name of Object.keys(params).sort()) data += name + params[name];
  return createHmac('sha1', token).update(data).digest('base64');
}

export interface ReceivedSms {
  to: string;
  from: string;
  body: string;
  statusCallback: string | undefined;
  sid: string;
}

/**
 * What the next send requests get: an HTTP status (with Twilio's error body), 'drop' (the connection is cut after
 * the request arrived, so the sender cannot know whether it was taken), or 'ok'.
 */
export type Scripted = 'ok' | 'drop' | 429 | 500 | 503;

/**
 * A loopback server speaking Twilio's Messages API: `POST /2010-04-01/Accounts/{Sid}/Messages.json` with basic
 * auth and a form body, answering 201 with a message resource or Twilio's error JSON (21211 invalid number, 20429
 * too many requests, 20500 internal error). `report` posts a signed delivery report to a message's StatusCallback.
 */
export class TwilioServer {
  url = '';
  readonly messages: ReceivedSms[] = [];
  readonly script: Scripted[] = [];
  requests = 0;
  private readonly server: Server = createServer((req, res) => {
    void this.answer(req).then(({ status, body, drop }) => {
      if (drop) res.destroy();
      else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });

  async listen(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  /** The environment that points Duet at this server. */
  env(): Record<string, string> {
    return {
      TWILIO_ACCOUNT_SID: TWILIO_SID,
      TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
      TWILIO_FROM,
      TWILIO_BASE_URL: this.url,
    };
  }

  /** Posts a signed delivery report for a message it accepted, as Twilio does to the StatusCallback. */
  async report(sid: string, status: string, errorCode?: string): Promise<Response> {
    const message = this.messages.find((m) => m.sid === sid);
    if (!message?.statusCallback) throw new Error(`message ${sid} has no StatusCallback`);
    const params: Record<string, string> = {
      AccountSid: TWILIO_SID,
      MessageSid: sid,
      MessageStatus: status,
      To: message.to,
      From: message.from,
      ...(errorCode ? { ErrorCode: errorCode } : {}),
    };
    return fetch(message.statusCallback, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSign(TWILIO_TOKEN, message.statusCallback, params),
      },
      body: new URLSearchParams(params),
    });
  }

  close(): Promise<void> {
    return new Promise<void>((r) => {
      this.server.closeAllConnections();
      this.server.close(() => r());
    });
  }

  private async answer(req: IncomingMessage): Promise<{ status: number; body: object; drop?: boolean }> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    this.requests++;
    const path = `/2010-04-01/Accounts/${TWILIO_SID}/Messages.json`;
    if (req.method !== 'POST' || req.url !== path) return error(404, 20404, 'The requested resource was not found');
    const expected = `Basic ${Buffer.from(`${TWILIO_SID}:${TWILIO_TOKEN}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return error(401, 20003, 'Authentication Error - invalid username');
    const form = new URLSearchParams(raw);
    const [to, from, body] = [form.get('To'), form.get('From'), form.get('Body')];
    if (!to || !from || !body) return error(400, 21602, 'Message body is required.');
    const next = this.script.shift() ?? 'ok';
    if (next === 'drop') return { status: 0, body: {}, drop: true };
    if (next === 429) return error(429, 20429, 'Too Many Requests');
    if (next === 500 || next === 503) return error(next, 20500, 'An internal server error has occurred');
    if (to === INVALID_NUMBER) return error(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    const sid = `SM${String(this.messages.length + 1).padStart(32, '0')}`;
    this.messages.push({ to, from, body, statusCallback: form.get('StatusCallback') ?? undefined, sid });
    return {
      status: 201,
      body: { sid, account_sid: TWILIO_SID, to, from, body, status: 'queued', num_segments: '1', error_code: null },
    };
  }
}

function error(status: number, code: number, message: string) {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}
