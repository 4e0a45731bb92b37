import { createTransport } from 'nodemailer';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends mail; invitations use it when SMTP_URL is set. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** How long one delivery may take before the caller hears it failed (connect, greeting and the whole exchange). */
const SMTP_TIMEOUT_MS = 10_000;

/**
 * SMTP through nodemailer: `smtp://user:pass@host:587` (STARTTLS when the server offers it) or `smtps://…:465`.
 * Credentials stay in the URL given by the operator and never reach a log.
 */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = createTransport({
    url,
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  });
  return {
    async send(mail) {
      await transport.sendMail({ from, ...mail });
    },
  };
}
