import formbody from '@fastify/formbody';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { validTwilioSignature } from '../../channels/sms/signature.ts';
import { twiml } from '../../channels/sms/twiml.ts';
import { splitMessage } from '../../channels/sms/segments.ts';
import type { SmsServices } from '../../channels/sms/index.ts';
import { DuetError } from '../../model/errors.ts';
import { phoneSchema } from '../../model/phone.ts';
import type { Database } from '../../store/db.ts';
import { findWorkspace } from '../../store/workspaces.ts';
import { writeAudit } from '../plugins/audit.ts';
import type { ZodApp } from '../zod.ts';

const params = z.strictObject({ workspaceSlug: z.string().min(1).max(100) });
const sid = z.string().regex(/^[A-Za-z0-9]{2,64}$/, 'MessageSid must be the provider message id (letters and digits)');
// Twilio sends many more fields (AccountSid, NumMedia, FromCity…); only these are read, the rest are signed and kept out.
const inboundBody = z.looseObject({
  MessageSid: sid,
  From: phoneSchema,
  Body: z.string().max(1600, 'Body has at most 1600 characters').default(''),
});
const statusBody = z.looseObject({
  MessageSid: sid,
  MessageStatus: z.string().min(1).max(40),
  ErrorCode: z.string().max(20).optional(),
});

export interface SmsWebhookOptions {
  sms: SmsServices;
  db: Database;
  /** PUBLIC_URL without its trailing slash: behind a proxy, the address the provider signed. */
  publicUrl?: string;
}

/**
 * The provider's side of the SMS channel (Twilio-compatible): inbound messages answered with TwiML, and delivery
 * reports. Public routes: every request must carry a valid X-Twilio-Signature, or it is refused (401, audited).
 */
export async function smsWebhookRoutes(app: ZodApp, opts: SmsWebhookOptions) {
  // Form bodies are parsed for these routes only; the API stays JSON-only.
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  const { sms, db } = opts;

  /** The workspace the URL names, once the signature proves the provider sent this very request. */
  const authenticate = async (request: FastifyRequest, slug: string) => {
    // Without the provider's settings this address does not exist here (as a chat page without its trigger).
    if (!sms.authToken)
      throw new DuetError(
        'not_found',
        'SMS is not configured on this server: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM',
      );
    const url = `${opts.publicUrl ?? `${request.protocol}://${request.host}`}${request.url}`;
    const params = Object.fromEntries(
      Object.entries((request.body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
    );
    const signature = request.headers['x-twilio-signature'];
    // Workspace slugs are public (they are in every webhook and chat page address): an unknown one is simply 404.
    const workspace = await findWorkspace(db.orm, slug);
    if (!workspace) throw new DuetError('not_found', `workspace "${slug}" does not exist`);
    if (!validTwilioSignature(sms.authToken, url, params, typeof signature === 'string' ? signature : undefined)) {
      request.log.warn({ workspace: slug }, 'refused an SMS webhook with a bad X-Twilio-Signature');
      await writeAudit(db, request.log, {
        workspaceId: workspace.id,
        actorType: 'anonymous',
        actorId: null,
        actorLabel: 'sms provider',
        action: `${request.method} ${request.routeOptions.url}`,
        resourceType: 'sms',
        resourceId: null,
        ip: request.ip,
        outcome: 'denied',
        statusCode: 401,
      });
      throw new DuetError(
        'unauthorized',
        'X-Twilio-Signature does not match this request; check TWILIO_AUTH_TOKEN and, behind a proxy, PUBLIC_URL',
      );
    }
    return workspace;
  };

  app.post(
    '/channels/sms/:workspaceSlug',
    {
      config: { access: 'public' },
      schema: { tags: ['sms'], summary: 'Inbound SMS (Twilio webhook) → TwiML', params },
    },
    async (request, reply) => {
      const workspace = await authenticate(request, request.params.workspaceSlug);
      const message = parse(inboundBody, request.body);
      const answer = await sms.inbound.handle(workspace, {
        messageSid: message.MessageSid,
        from: message.From,
        body: message.Body,
      });
      return reply.type('text/xml; charset=utf-8').send(twiml(answer ? splitMessage(answer) : []));
    },
  );

  app.post(
    '/channels/sms/:workspaceSlug/status',
    {
      config: { access: 'public' },
      schema: { tags: ['sms'], summary: 'Delivery report of an outbound SMS (Twilio StatusCallback)', params },
    },
    async (request, reply) => {
      const workspace = await authenticate(request, request.params.workspaceSlug);
      const report = parse(statusBody, request.body);
      await sms.outbox.report(workspace.id, report.MessageSid, report.MessageStatus, report.ErrorCode ?? null);
      return reply.status(204).send();
    },
  );
}

/** Validated after the signature check, which covers every field as sent. */
function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success)
    throw new DuetError(
      'validation_failed',
      parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    );
  return parsed.data;
}
