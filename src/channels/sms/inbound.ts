import type { ConversationService } from '../../conversation/manager.ts';
import type { AssistantLine } from '../assistant-line.ts';
import { DuetError } from '../../model/errors.ts';
import { can, type Permission, type Role } from '../../model/roles.ts';
import type { SmsContactRow, SmsDirectory } from '../../store/sms.ts';
import { smsKeyword } from './keywords.ts';

export interface InboundSms {
  messageSid: string;
  from: string;
  body: string;
}

/** Longest message the dialogue manager reads (the chat's limit). */
const MAX_TEXT_CHARS = 1000;
/** A redelivery that arrives while the first delivery is still being handled waits this long for its reply. */
const REDELIVERY_WAIT_MS = 10_000;
const REDELIVERY_POLL_MS = 100;

/**
 * An inbound SMS, handled once per MessageSid: carrier keywords first (STOP/START recorded, HELP answered), then
 * contacts talk to their own persisted conversation with the dialogue manager, whose reply is the answer.
 * Numbers that are not contacts get the workspace's configured reply, or nothing. Returns the reply text, or
 * null for "answer nothing".
 */
export class SmsInboundHandler {
  constructor(
    private readonly directory: SmsDirectory,
    private readonly conversations: ConversationService,
    /** The personal assistant answers the numbers it serves before the dialogue manager does. */
    private readonly assistant?: Pick<AssistantLine, 'answer'>,
  ) {}

  async handle(workspace: { id: string; name: string }, sms: InboundSms): Promise<string | null> {
    const deadline = Date.now() + REDELIVERY_WAIT_MS;
    for (;;) {
      const claim = await this.directory.claimInbound(workspace.id, sms.messageSid, sms.from);
      if (claim.first) return this.handleFirst(workspace, sms);
      // A redelivery: the stored answer, once the first delivery has one ('' stands for "nothing").
      if (claim.reply !== null) return claim.reply === '' ? null : claim.reply;
      if (Date.now() >= deadline) return null;
      await new Promise((resolve) => setTimeout(resolve, REDELIVERY_POLL_MS));
    }
  }

  private async handleFirst(workspace: { id: string; name: string }, sms: InboundSms): Promise<string | null> {
    try {
      const reply = await this.answer(workspace, sms);
      await this.directory.recordReply(sms.messageSid, reply ?? '');
      return reply;
    } catch (error) {
      // Not handled after all: the provider's next delivery of this message starts afresh.
      await this.directory.releaseInbound(sms.messageSid);
      throw error;
    }
  }

  private async answer(workspace: { id: string; name: string }, sms: InboundSms): Promise<string | null> {
    switch (smsKeyword(sms.body)) {
      case 'stop':
        await this.directory.setOptOut(workspace.id, sms.from, true);
        return `You will get no more messages from ${workspace.name}. Reply START to subscribe again.`;
      case 'start':
        await this.directory.setOptOut(workspace.id, sms.from, false);
        return `You are subscribed to ${workspace.name} again. Reply HELP for help, STOP to unsubscribe.`;
      case 'help':
        return `${workspace.name}: text me what you need, e.g. "help" in a sentence or "list workflows". Reply STOP to unsubscribe.`;
      case null:
        break;
    }
    if (await this.directory.optedOut(workspace.id, sms.from)) return null;
    const assisted = await this.assistant?.answer(workspace.id, sms.from, sms.body.trim().slice(0, MAX_TEXT_CHARS));
    if (assisted) return assisted;
    const contact = await this.directory.contact(workspace.id, sms.from);
    if (!contact) return (await this.directory.settings(workspace.id))?.unknownReply ?? null;
    const text = sms.body.trim();
    if (text === '') return null;
    if (text.length > MAX_TEXT_CHARS)
      return `Sorry, that message is too long: I read at most ${MAX_TEXT_CHARS} characters.`;
    const conversationId = await this.conversationOf(workspace.id, contact);
    const result = await this.conversations.message(workspace.id, conversationId, text, smsPermissions(contact.role));
    return result.reply;
  }

  /**
   * The contact's conversation, started (bound to the workspace's SMS workflow) when it has none or it expired.
   * The SMS settings' knowledge base, when there is one, is bound to it (a change reaches a contact at their next text).
   */
  private async conversationOf(workspaceId: string, contact: SmsContactRow): Promise<string> {
    const settings = await this.directory.settings(workspaceId);
    const knowledgeBaseId = settings?.knowledgeBaseId ?? null;
    if (contact.conversationId) {
      try {
        const { conversation } = await this.conversations.get(workspaceId, contact.conversationId);
        const bound = (conversation.config as { knowledgeBaseId?: string } | null)?.knowledgeBaseId;
        if (knowledgeBaseId && bound !== knowledgeBaseId)
          await this.conversations.bindKnowledge(workspaceId, contact.conversationId, knowledgeBaseId);
        return contact.conversationId;
      } catch (error) {
        if (!(error instanceof DuetError && error.code === 'not_found')) throw error;
      }
    }
    const started = await this.conversations.start(workspaceId, {
      channel: 'sms',
      ...(settings?.workflowId ? { workflowId: settings.workflowId } : {}),
      ...(knowledgeBaseId ? { config: { knowledgeBaseId } } : {}),
    });
    await this.directory.bindConversation(contact.id, started.conversation.id);
    return started.conversation.id;
  }
}

/** An SMS contact acts with its role, except that texts never edit workflows. */
function smsPermissions(role: string): (permission: Permission) => boolean {
  return (permission) => permission !== 'workflows.write' && can(role as Role, permission);
}
