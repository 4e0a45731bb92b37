import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SmsServices } from '../../channels/sms/index.ts';
import { MAX_SMS_TEXT_CHARS } from '../../channels/sms/channel.ts';
import type { KnowledgeService } from '../../knowledge/service.ts';
import { phoneSchema } from '../../model/phone.ts';
import type { SmsContactRow } from '../../store/sms.ts';
import type { OutboxRow } from '../../store/sms-outbox.ts';
import type { WorkflowRepository } from '../../store/workflows.ts';
import type { ZodApp } from '../zod.ts';
import { listQuery } from './workflows.ts';

const tags = ['sms'];
const settingsBody = z.strictObject({
  workflowId: z.string().min(1).max(200).nullable().default(null),
  unknownReply: z.string().trim().min(1).max(1600).nullable().default(null),
  knowledgeBaseId: z.string().min(1).max(200).nullable().default(null),
});
const contactBody = z.strictObject({
  phone: phoneSchema,
  name: z.string().trim().min(1).max(200).nullable().default(null),
  role: z.enum(['viewer', 'editor']).default('editor'),
});
const phoneParams = z.strictObject({ phone: phoneSchema });
const idParams = z.strictObject({ id: z.string().min(1).max(100) });
const STATUSES = ['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed'] as const;
const messagesQuery = listQuery.extend({ status: z.enum(STATUSES).optional(), to: phoneSchema.optional() });
const sendBody = z.strictObject({
  to: phoneSchema,
  text: z.string().trim().min(1, 'text is required').max(MAX_SMS_TEXT_CHARS),
});
const idempotencyHeader = z.looseObject({ 'idempotency-key': z.string().min(1).max(200).optional() });

const contactView = (row: SmsContactRow) => ({
  id: row.id,
  phone: row.phone,
  name: row.name,
  role: row.role,
  conversationId: row.conversationId,
  createdAt: row.createdAt,
});

/** An outbound message as the API shows it: where it is in its life and why it stopped, if it did. */
export const messageView = (row: OutboxRow) => ({
  id: row.id,
  to: row.toPhone,
  from: row.fromPhone,
  body: row.body,
  encoding: row.encoding,
  segments: row.segments,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.status === 'queued' ? row.nextAttemptAt : null,
  providerSid: row.providerSid,
  error: row.errorCode ? { code: row.errorCode, message: row.errorMessage } : null,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

/** The SMS channel of a workspace: which workflow answers, who may text it, and the outbound messages. */
export async function smsRoutes(
  app: ZodApp,
  opts: { sms: SmsServices; workflows: WorkflowRepository; knowledge: Pick<KnowledgeService, 'getBase'> },
) {
  const { sms, workflows, knowledge } = opts;

  app.get(
    '/api/v1/channels/sms',
    { config: { access: 'workflows.read' }, schema: { tags, summary: 'SMS settings of the workspace' } },
    async (request) => {
      const settings = await sms.directory.settings(request.workspaceId);
      return {
        configured: sms.channel.configured,
        inboundPath: `/channels/sms/${request.workspaceId}`,
        workflowId: settings?.workflowId ?? null,
        unknownReply: settings?.unknownReply ?? null,
        knowledgeBaseId: settings?.knowledgeBaseId ?? null,
      };
    },
  );

  app.put(
    '/api/v1/channels/sms',
    {
      config: { access: 'workspace.admin' },
      schema: {
        tags,
        summary:
          "Pick the workflow and knowledge base SMS contacts' conversations are bound to, and the reply to strangers",
        body: settingsBody,
      },
    },
    async (request) => {
      const { workflowId, unknownReply, knowledgeBaseId } = request.body;
      const workflow = workflowId ? await workflows.get(request.workspaceId, workflowId) : null;
      const base = knowledgeBaseId ? await knowledge.getBase(request.workspaceId, knowledgeBaseId) : null;
      const row = await sms.directory.putSettings(request.workspaceId, {
        workflowId: workflow?.id ?? null,
        unknownReply,
        knowledgeBaseId: base?.id ?? null,
      });
      return {
        configured: sms.channel.configured,
        workflowId: row.workflowId,
        unknownReply: row.unknownReply,
        knowledgeBaseId: row.knowledgeBaseId,
      };
    },
  );

  app.get(
    '/api/v1/channels/sms/contacts',
    { config: { access: 'workspace.admin' }, schema: { tags, summary: 'Phone numbers that may text the workspace' } },
    async (request) => ({ items: (await sms.directory.contacts(request.workspaceId)).map(contactView) }),
  );

  app.post(
    '/api/v1/channels/sms/contacts',
    {
      config: { access: 'workspace.admin' },
      schema: { tags, summary: 'Let a phone number text the workspace (its own conversation)', body: contactBody },
    },
    async (request, reply) => {
      const row = await sms.directory.addContact(request.workspaceId, request.body);
      return reply.status(201).send(contactView(row));
    },
  );

  app.delete(
    '/api/v1/channels/sms/contacts/:phone',
    { config: { access: 'workspace.admin' }, schema: { tags, summary: 'Remove a contact', params: phoneParams } },
    async (request, reply) => {
      await sms.directory.removeContact(request.workspaceId, request.params.phone);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/channels/sms/messages',
    {
      config: { access: 'executions.read' },
      schema: { tags, summary: 'Outbound SMS, newest first, with their delivery status', querystring: messagesQuery },
    },
    async (request) => {
      const page = await sms.outbox.list(request.workspaceId, request.query);
      return { items: page.items.map(messageView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/channels/sms/messages/:id',
    { config: { access: 'executions.read' }, schema: { tags, summary: 'One outbound SMS', params: idParams } },
    async (request) => messageView(await sms.outbox.get(request.workspaceId, request.params.id)),
  );

  app.post(
    '/api/v1/channels/sms/messages',
    {
      config: { access: 'executions.control' },
      schema: {
        tags,
        summary: 'Queue an SMS (an Idempotency-Key header makes a retried request queue it once)',
        body: sendBody,
        headers: idempotencyHeader,
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const rows = await sms.channel.send(
        request.workspaceId,
        request.body.to,
        request.body.text,
        `api:${request.workspaceId}:${key ?? randomUUID()}`,
      );
      return reply.status(202).send({ items: rows.map(messageView) });
    },
  );
}
