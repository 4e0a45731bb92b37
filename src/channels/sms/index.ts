import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config/env.ts';
import type { Database } from '../../store/db.ts';
import { SmsDirectory } from '../../store/sms.ts';
import { SmsOutbox } from '../../store/sms-outbox.ts';
import { SmsChannel } from './channel.ts';
import type { SmsInboundHandler } from './inbound.ts';
import { SmsSender } from './sender.ts';

/** The SMS channel as the app and the engine use it. */
export interface SmsServices {
  channel: SmsChannel;
  inbound: SmsInboundHandler;
  directory: SmsDirectory;
  outbox: SmsOutbox;
  /** TWILIO_AUTH_TOKEN: signs the provider's requests to us; undefined when SMS is not configured. */
  authToken: string | undefined;
  /** Drains the outbox now (tests and the benchmark wait on it instead of the 1 s beat). */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** Messages that keep meeting outages are given up after this many attempts (about an hour of backoff). */
const MAX_ATTEMPTS = 10;

/**
 * Builds the sending side of the SMS channel (the engine's notify steps need it before the dialogue manager, which
 * the inbound handler needs, exists). The sender runs in every process that builds services when TWILIO_* is set;
 * claims in the database keep processes from sending the same message.
 */
export function createSmsServices(db: Database, config: Config, log: FastifyBaseLogger): Omit<SmsServices, 'inbound'> {
  const directory = new SmsDirectory(db);
  const outbox = new SmsOutbox(db);
  const publicUrl = config.PUBLIC_URL?.replace(/\/$/, '');
  const sender =
    config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN
      ? new SmsSender(outbox, directory, {
          account: {
            accountSid: config.TWILIO_ACCOUNT_SID,
            authToken: config.TWILIO_AUTH_TOKEN,
            baseUrl: config.TWILIO_BASE_URL,
          },
          statusCallback: (workspaceId) => publicUrl && `${publicUrl}/channels/sms/${workspaceId}/status`,
          maxAttempts: MAX_ATTEMPTS,
          backoffMs: 1000,
          maxBackoffMs: 15 * 60_000,
          log,
        })
      : undefined;
  sender?.start();
  return {
    channel: new SmsChannel(outbox, directory, sender && config.TWILIO_FROM, () => sender?.nudge()),
    directory,
    outbox,
    authToken: config.TWILIO_AUTH_TOKEN,
    drain: async () => sender?.drain(),
    close: async () => sender?.close(),
  };
}
