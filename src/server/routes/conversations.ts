import { z } from 'zod';
import { conversationConfigSchema } from '../../conversation/config.ts';
import type { ConversationService } from '../../conversation/manager.ts';
import { DuetError } from '../../model/errors.ts';
import { can } from '../../model/roles.ts';
import type { ConversationRow, TurnRow } from '../../store/conversations.ts';
import type { RateLimiter } from '../rate-window.ts';
import type { ZodApp } from '../zod.ts';

export const MAX_MESSAGE_CHARS = 1000;

const createBody = z
  .strictObject({
    workflowId: z.string().min(1).max(200).optional(),
    config: conversationConfigSchema.partial().optional(),
    channel: z.enum(['api', 'web', 'sms', 'cli']).default('api'),
  })
  .nullish()
  .transform((body) => body ?? { channel: 'api' as const });
// The length is checked in the handler so that an over-long message gets 413, as the contract says.
const messageBody = z.strictObject({ text: z.string().trim().min(1, 'text is required') });
const params = z.strictObject({ id: z.string().min(1).max(100) });
const bindBody = z.strictObject({
  knowledgeBaseId: z.string().min(1, 'knowledgeBaseId is a knowledge base id, or null to unbind').max(200).nullable(),
});

/** The conversation resource of the API contract. */
function conversationView(row: ConversationRow, turns: TurnRow[]) {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    channel: row.channel,
    workflowId: row.workflowId,
    executionId: row.executionId,
    knowledgeBaseId: (row.config as { knowledgeBaseId?: string }).knowledgeBaseId ?? null,
    mode: (row.state as { mode?: string }).mode ?? null,
    config: row.config,
    turns: turns.map((t) => ({ role: t.role, text: t.text, intent: t.intent, action: t.action, at: t.at })),
    expiresAt: row.expiresAt,
  };
}

/** The limits every channel applies to a chat message (HTTP here, the socket in realtime.ts). */
export async function checkMessage(rate: RateLimiter, conversationId: string, text: string): Promise<void> {
  if (text.length > MAX_MESSAGE_CHARS) {
    throw new DuetError(
      'payload_too_large',
      `a message has at most ${MAX_MESSAGE_CHARS} characters; this one has ${text.length}`,
    );
  }
  const wait = await rate.take(conversationId);
  if (wait > 0) {
    throw Object.assign(
      new DuetError(
        'rate_limited',
        `at most ${rate.perMinute} messages a minute per conversation (CHAT_MESSAGES_PER_MINUTE); try again in ${wait} s`,
      ),
      { retryAfter: wait },
    );
  }
}

/** Talk to workflows: start a conversation, send messages, read and end it. */
export async function conversationRoutes(app: ZodApp, opts: { conversations: ConversationService; rate: RateLimiter }) {
  const { conversations, rate } = opts;
  const tags = ['conversations'];

  app.post(
    '/api/v1/conversations',
    {
      config: { access: 'conversations.use' },
      schema: { tags, summary: 'Start a conversation, optionally bound to a workflow', body: createBody },
    },
    async (request, reply) => {
      const started = await conversations.start(request.workspaceId, {
        ...request.body,
        userId: request.principal?.kind === 'user' ? request.principal.id : null,
      });
      return reply.status(201).send({
        id: started.conversation.id,
        reply: started.reply,
        suggestedActions: started.suggestedActions,
        expiresAt: started.conversation.expiresAt,
      });
    },
  );

  app.post(
    '/api/v1/conversations/:id/messages',
    {
      config: { access: 'conversations.use' },
      schema: {
        tags,
        summary: `Send a message (at most ${MAX_MESSAGE_CHARS} characters); the reply says what was done`,
        params,
        body: messageBody,
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { text } = request.body;
      try {
        await checkMessage(rate, id, text);
      } catch (error) {
        const retryAfter = (error as { retryAfter?: number }).retryAfter;
        if (retryAfter) reply.header('retry-after', String(retryAfter));
        throw error;
      }
      const result = await conversations.message(request.workspaceId, id, text, (permission) =>
        can(request.role, permission),
      );
      const { conversation, ...answer } = result;
      return {
        ...answer,
        state: {
          workflowId: conversation.workflowId,
          executionId: conversation.executionId,
          ...(conversation.state as object),
        },
      };
    },
  );

  app.get(
    '/api/v1/conversations/:id',
    { config: { access: 'conversations.use' }, schema: { tags, summary: 'A conversation with its turns', params } },
    async (request) => {
      const { id } = request.params;
      const { conversation, turns } = await conversations.get(request.workspaceId, id);
      return conversationView(conversation, turns);
    },
  );

  app.patch(
    '/api/v1/conversations/:id',
    {
      config: { access: 'conversations.use' },
      schema: {
        tags,
        summary: 'Bind the conversation to a knowledge base (questions are answered from it), or unbind it with null',
        params,
        body: bindBody,
      },
    },
    async (request) => {
      const { id } = request.params;
      await conversations.bindKnowledge(request.workspaceId, id, request.body.knowledgeBaseId);
      const { conversation, turns } = await conversations.get(request.workspaceId, id);
      return conversationView(conversation, turns);
    },
  );

  app.delete(
    '/api/v1/conversations/:id',
    { config: { access: 'conversations.use' }, schema: { tags, summary: 'End and delete a conversation', params } },
    async (request, reply) => {
      const { id } = request.params;
      await conversations.remove(request.workspaceId, id);
      return reply.status(204).send();
    },
  );
}
