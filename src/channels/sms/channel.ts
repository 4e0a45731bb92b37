import { DuetError } from '../../model/errors.ts';
import type { SmsDirectory } from '../../store/sms.ts';
import type { OutboxRow, SmsOutbox } from '../../store/sms-outbox.ts';
import { smsSegments, splitMessage } from './segments.ts';

/** Most characters one request (a notify step, an API call) may ask to text; longer texts are a mistake. */
export const MAX_SMS_TEXT_CHARS = 16_000;

/**
 * Sending SMS: a text becomes one outbox message per 1,600 characters (the provider's Body limit, which it
 * splits into GSM-7/UCS-2 segments on its own; the segment count is recorded as it bills them), queued under an
 * idempotency key so the same request is never queued twice, then handed to the sender.
 */
export class SmsChannel {
  constructor(
    private readonly outbox: SmsOutbox,
    private readonly directory: SmsDirectory,
    /** TWILIO_FROM, or undefined when SMS is not configured. */
    private readonly from: string | undefined,
    private readonly nudge: () => void,
  ) {}

  get configured(): boolean {
    return this.from !== undefined;
  }

  /** Queues `text` to `to`; `key` names the request (a retried request with the same key queues nothing new). */
  async send(workspaceId: string, to: string, text: string, key: string): Promise<OutboxRow[]> {
    if (!this.from)
      throw new DuetError(
        'unavailable',
        'SMS is not configured: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM (docs/operations.md)',
      );
    if (text.trim() === '') throw new DuetError('validation_failed', 'an SMS needs some text');
    if (text.length > MAX_SMS_TEXT_CHARS)
      throw new DuetError(
        'payload_too_large',
        `an SMS text has at most ${MAX_SMS_TEXT_CHARS} characters; this one has ${text.length}`,
      );
    if (await this.directory.optedOut(workspaceId, to))
      throw new DuetError('conflict', `${to} has opted out of messages (they sent STOP); nothing was sent`);
    const parts = splitMessage(text);
    const rows = await this.outbox.enqueue(
      parts.map((body, i) => ({
        workspaceId,
        // Zero-padded, so the parts sort in order (at most 10 of them).
        idempotencyKey: parts.length > 1 ? `${key}:${String(i + 1).padStart(2, '0')}` : key,
        toPhone: to,
        fromPhone: this.from!,
        body,
        ...smsSegments(body),
      })),
    );
    this.nudge();
    return rows;
  }
}
