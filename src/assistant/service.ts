import { DuetError } from '../model/errors.ts';
import type { Citation } from '../model/knowledge-hits.ts';
import { MAX_TASK_TITLE_CHARS, reminderProblem } from '../model/tasks.ts';
import type { AssistantContactRow, AssistantContacts, TaskRow, TaskStore } from '../store/tasks.ts';
import { matchTasks } from './match.ts';
import { understand, type AssistantIntent } from './phrases.ts';
import * as say from './wording.ts';

/** One answer of the assistant: what to say, what it did, and the task it did it to (or the sources it cited). */
export interface AssistantTurn {
  reply: string;
  /** `knowledge`: a question about no task, answered from the attached knowledge base. */
  action: AssistantIntent['kind'] | 'knowledge';
  taskId: string | null;
  citations?: Citation[];
}

/** Who the assistant talks to: a phone number (null on the chat page: the workspace's own tasks), in a time zone. */
export interface Speaker {
  phone: string | null;
  timeZone: string;
}

/** Reads freer phrasing when the offline patterns do not understand (the LLM fallback); null: no better idea. */
export type FreeReader = (message: string, now: Date, zone: string) => Promise<AssistantIntent | null>;

/** Answers a question from a knowledge base, the answer text ending with its sources (the chat's answerer). */
export type KnowledgeAsker = (
  workspaceId: string,
  knowledgeBaseId: string,
  question: string,
) => Promise<{ text: string; cited: Citation[] }>;

/** How many open tasks one answer looks at (a list, a match). */
const MAX_TASKS_READ = 200;

/**
 * The assistant's dialogue: understands a message in the speaker's time zone and applies it to their tasks.
 * Tasks belong to the speaker's phone number; "that" is the task they last added or were reminded of.
 */
export class Assistant {
  constructor(
    private readonly tasks: TaskStore,
    private readonly contacts: AssistantContacts,
    private readonly freeReader?: FreeReader,
    private readonly askKnowledge?: KnowledgeAsker,
  ) {}

  /** With `knowledgeBaseId`, a message that is about no task is answered from that knowledge base. */
  async reply(
    workspaceId: string,
    speaker: Speaker,
    message: string,
    now: Date,
    knowledgeBaseId: string | null = null,
  ): Promise<AssistantTurn> {
    const contact = speaker.phone ? await this.contacts.find(workspaceId, speaker.phone) : null;
    const zone = contact?.timeZone ?? speaker.timeZone;
    let intent = understand(message, now, zone);
    if (intent.kind === 'unknown' && this.freeReader) intent = (await this.freeReader(message, now, zone)) ?? intent;
    if (intent.kind === 'unknown' && knowledgeBaseId && this.askKnowledge)
      return this.answerFromKnowledge(workspaceId, knowledgeBaseId, message);
    const turn = await this.apply(workspaceId, { ...speaker, timeZone: zone }, contact, intent, now);
    if (contact && turn.taskId) await this.contacts.remember(contact.id, turn.taskId);
    return turn;
  }

  private async apply(
    workspaceId: string,
    speaker: Speaker,
    contact: AssistantContactRow | null,
    intent: AssistantIntent,
    now: Date,
  ): Promise<AssistantTurn> {
    const zone = speaker.timeZone;
    const turn = (reply: string, task: TaskRow | null = null): AssistantTurn => ({
      reply,
      action: intent.kind,
      taskId: task?.id ?? null,
    });
    switch (intent.kind) {
      case 'help':
        return turn(say.HELP_TEXT);
      case 'unknown':
        return turn(say.NOT_UNDERSTOOD);
      case 'add': {
        const problem = intent.remindAt ? reminderProblem(intent.remindAt, now) : null;
        if (problem) return turn(`That time has passed; tell me a time after now.`);
        const task = await this.tasks.create(
          workspaceId,
          {
            title: intent.title.slice(0, MAX_TASK_TITLE_CHARS),
            timeZone: zone,
            dueAt: intent.dueAt?.toISOString() ?? null,
            remindAt: intent.remindAt?.toISOString() ?? null,
            phone: speaker.phone,
          },
          now,
        );
        return turn(say.added(task, zone, now), task);
      }
      case 'list': {
        const page = await this.tasks.list(workspaceId, {
          status: 'open',
          ...(speaker.phone ? { phone: speaker.phone } : {}),
          limit: MAX_TASKS_READ,
          ...(intent.from ? { dueFrom: intent.from } : {}),
          ...(intent.to ? { dueBefore: intent.to } : {}),
        });
        return turn(say.listed(page.items, intent.label, zone, now));
      }
      case 'acknowledge': {
        const task = await this.pick(workspaceId, speaker, contact, null);
        if (typeof task === 'string') return turn('👍');
        await this.tasks.acknowledge(workspaceId, task.id, now);
        return turn(`👍 I won't nudge you again about ${task.title}.`, task);
      }
      case 'complete': {
        const task = await this.pick(workspaceId, speaker, contact, intent.target);
        if (typeof task === 'string') return turn(task);
        const done = await this.tasks.update(workspaceId, task.id, { status: 'done' }, now);
        return turn(say.completed(done), done);
      }
      case 'snooze': {
        const task = await this.pick(workspaceId, speaker, contact, intent.target);
        if (typeof task === 'string') return turn(task);
        const moved = await this.tasks.update(workspaceId, task.id, { remindAt: intent.until.toISOString() }, now);
        return turn(say.snoozed(moved, intent.until, zone, now), moved);
      }
    }
  }

  private async answerFromKnowledge(workspaceId: string, knowledgeBaseId: string, question: string) {
    try {
      const { text, cited } = await this.askKnowledge!(workspaceId, knowledgeBaseId, question);
      return { reply: text, action: 'knowledge', taskId: null, citations: cited } satisfies AssistantTurn;
    } catch (error) {
      // Deleted after the workflow was published: say so, and keep helping with tasks.
      if (!(error instanceof DuetError && error.code === 'not_found')) throw error;
      return { reply: say.KNOWLEDGE_GONE, action: 'unknown', taskId: null } satisfies AssistantTurn;
    }
  }

  /** The open task `words` name, or the last one when `words` is null; a string says why there is none. */
  private async pick(
    workspaceId: string,
    speaker: Speaker,
    contact: AssistantContactRow | null,
    words: string | null,
  ): Promise<TaskRow | string> {
    if (words === null) {
      if (!contact?.lastTaskId) return say.nothingPending;
      try {
        const last = await this.tasks.get(workspaceId, contact.lastTaskId);
        return last.status === 'open' ? last : say.nothingPending;
      } catch (error) {
        if (error instanceof DuetError && error.code === 'not_found') return say.nothingPending;
        throw error;
      }
    }
    const open = await this.tasks.list(workspaceId, {
      status: 'open',
      ...(speaker.phone ? { phone: speaker.phone } : {}),
      limit: MAX_TASKS_READ,
    });
    const found = matchTasks(open.items, words);
    if (found.length === 1) return found[0]!;
    return found.length === 0 ? say.noSuchTask(words) : say.ambiguous(found.map((t) => t.title));
  }
}
