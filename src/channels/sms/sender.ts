import type { FastifyBaseLogger } from 'fastify';
import { everyInterval } from '../../engine/periodic.ts';
import type { SmsDirectory } from '../../store/sms.ts';
import type { OutboxRow, SmsOutbox } from '../../store/sms-outbox.ts';
import { sendSms, type TwilioAccount } from './twilio-client.ts';

export interface SenderOptions {
  account: TwilioAccount;
  /** The delivery-report URL for a workspace's messages, or undefined when there is no public address. */
  statusCallback: (workspaceId: string) => string | undefined;
  /** Attempts before a message that keeps meeting outages is failed. */
  maxAttempts: number;
  /** Wait before attempt n+1: doubles from `backoffMs`, at most `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
  log: FastifyBaseLogger;
}

/** Rows claimed per pass, and how long a claim lasts before the row is presumed abandoned. */
const BATCH = 20;
const LEASE_MS = 60_000;
const INTERVAL_MS = 1000;
/** Inbound delivery records are kept this long (providers redeliver within minutes). */
const INBOUND_KEEP_MS = 2 * 24 * 3_600_000;

/**
 * Drains the SMS outbox: claims due messages, sends each through the provider once, and records what happened.
 * Outages and rate limits go back to the queue with exponential backoff; refusals fail the message; a request
 * whose fate is unknown is never repeated. Every process may run one: claims never overlap.
 */
export class SmsSender {
  private stopTimer: (() => void) | undefined;
  private pass: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly outbox: SmsOutbox,
    private readonly directory: SmsDirectory,
    private readonly options: SenderOptions,
  ) {}

  start(): void {
    this.stopTimer = everyInterval(
      INTERVAL_MS,
      () => this.drain(),
      (error) => this.options.log.error({ err: error }, 'the SMS outbox could not be drained'),
    );
  }

  /** Sends what is due now, without waiting for the next beat (after a message was queued). */
  nudge(): void {
    this.drain().catch((error: unknown) =>
      this.options.log.error({ err: error }, 'the SMS outbox could not be drained'),
    );
  }

  /** One pass at a time; a nudge during a pass runs another right after it. */
  drain(): Promise<void> {
    if (this.pass) {
      this.again = true;
      return this.pass;
    }
    this.pass = (async () => {
      try {
        do {
          this.again = false;
          await this.sendDue();
        } while (this.again);
      } finally {
        this.pass = undefined;
      }
    })();
    return this.pass;
  }

  async close(): Promise<void> {
    this.stopTimer?.();
    await this.pass;
  }

  private async sendDue(): Promise<void> {
    const now = new Date();
    const abandoned = await this.outbox.abandonExpired(now);
    if (abandoned > 0)
      this.options.log.warn({ abandoned }, 'SMS messages left mid-send by a stopped process were failed');
    await this.directory.purgeInbound(new Date(now.getTime() - INBOUND_KEEP_MS));
    for (;;) {
      const claimed = await this.outbox.claimDue(new Date(), BATCH, LEASE_MS);
      if (claimed.length === 0) return;
      // Recipients side by side; each one's messages in order, so the parts of a long text arrive in sequence.
      const byRecipient = new Map<string, OutboxRow[]>();
      const ordered = claimed.sort(
        (a, b) => +a.nextAttemptAt - +b.nextAttemptAt || a.idempotencyKey.localeCompare(b.idempotencyKey),
      );
      for (const row of ordered) byRecipient.set(row.toPhone, [...(byRecipient.get(row.toPhone) ?? []), row]);
      await Promise.all(
        [...byRecipient.values()].map(async (rows) => {
          for (const row of rows) await this.sendOne(row);
        }),
      );
    }
  }

  private async sendOne(row: OutboxRow): Promise<void> {
    if (await this.directory.optedOut(row.workspaceId, row.toPhone)) {
      await this.outbox.markFailed(row.id, 'sending', 'opted_out', `${row.toPhone} has opted out (STOP); not sent`);
      return;
    }
    const callback = this.options.statusCallback(row.workspaceId);
    const outcome = await sendSms(this.options.account, {
      to: row.toPhone,
      from: row.fromPhone,
      body: row.body,
      ...(callback ? { statusCallback: callback } : {}),
    });
    switch (outcome.kind) {
      case 'accepted':
        return this.outbox.markSent(row.id, outcome.sid);
      case 'rejected':
        this.options.log.warn({ smsId: row.id, code: outcome.code }, 'the SMS provider refused a message');
        return this.outbox.markFailed(row.id, 'sending', outcome.code, outcome.message);
      case 'unknown':
        this.options.log.warn({ smsId: row.id }, 'an SMS send got no answer; not resent');
        return this.outbox.markFailed(row.id, 'sending', 'outcome_unknown', `${outcome.message}; not resent`);
      case 'retry': {
        if (row.attempts >= this.options.maxAttempts)
          return this.outbox.markFailed(
            row.id,
            'sending',
            outcome.code,
            `${outcome.message} (gave up after ${row.attempts} attempts)`,
          );
        const backoff = Math.min(this.options.backoffMs * 2 ** (row.attempts - 1), this.options.maxBackoffMs);
        const wait = Math.min(Math.max(backoff, outcome.retryAfterMs ?? 0), this.options.maxBackoffMs);
        return this.outbox.retryLater(row.id, new Date(Date.now() + wait), outcome.code, outcome.message);
      }
    }
  }
}
