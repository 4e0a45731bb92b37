import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.ts';
import { freshEmail } from '../support/accounts.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { TEST_ENV } from '../support/config.ts';
import { startSmtpServer, type SmtpServer } from '../support/smtp-server.ts';

/** With SMTP_URL set, an invitation is emailed through a real SMTP exchange; without it, the link is handed back. */
let smtp: SmtpServer;
let t: TestApp;
beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await startTestApp({ SMTP_URL: smtp.url('mailer:mail-password'), SMTP_FROM: 'Duet <duet@example.com>' });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

const invite = (email: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/invitations', payload: { email, role: 'editor' } });

describe('invitation emails', () => {
  it('sends the link by SMTP to the invited address, from SMTP_FROM, authenticated with the URL credentials', async () => {
    const email = freshEmail('invited');
    const response = await invite(email);
    expect(response.statusCode, response.body).toBe(201);
    const { link, emailed } = response.json() as { link: string; emailed: boolean };
    expect(emailed).toBe(true);
    const mail = smtp.received.find((m) => m.to.includes(email));
    expect(mail).toMatchObject({ from: 'duet@example.com', user: 'mailer' });
    expect(mail!.data).toContain(link);
    expect(mail!.data).toMatch(/^Subject: You are invited to .+ on Duet$/m);
    expect(mail!.data).toContain('as editor');
    expect(mail!.data).not.toContain('mail-password');
  });

  it('keeps the invitation and hands back the link when the provider refuses, saying the email was not sent', async () => {
    smtp.refuseRecipients = true;
    try {
      const email = freshEmail('bounced');
      const response = await invite(email);
      expect(response.statusCode).toBe(201);
      const body = response.json() as { link: string; emailed: boolean; emailError: string };
      expect(body.emailed).toBe(false);
      expect(body.emailError).toMatch(/^the invitation email could not be sent \(.*550/);
      expect(body.link).toMatch(/\/invite\/\S+$/);
      const listed = (await t.app.inject({ method: 'GET', url: '/api/v1/invitations' })).json().items as Array<{
        email: string;
      }>;
      expect(listed.map((i) => i.email)).toContain(email);
    } finally {
      smtp.refuseRecipients = false;
    }
  });

  it('refuses SMTP_URL without SMTP_FROM, naming the setting', () => {
    expect(() => loadConfig({ ...TEST_ENV, SMTP_URL: smtp.url() })).toThrow(/SMTP_URL needs SMTP_FROM/);
    expect(() => loadConfig({ ...TEST_ENV, SMTP_URL: 'http://mail.example.com' })).toThrow(/smtp:\/\//);
  });
});
