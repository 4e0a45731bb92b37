import type { ValidateOptions } from '../graph/validate.ts';
import { DuetError } from '../model/errors.ts';
import type { Database } from './db.ts';
import { KnowledgeStore } from './knowledge.ts';
import { AssistantContacts } from './tasks.ts';
import { loadTemplates } from './templates.ts';
import { slugify, WorkflowRepository } from './workflows.ts';

export interface SeedResult {
  created: string[];
  skipped: string[];
}

/**
 * Loads every example workflow into a workspace. Idempotent: an example whose slug already
 * exists is left as the user may have edited it.
 */
export async function seedExamples(
  db: Database,
  workspaceId: string,
  options: ValidateOptions & { dir?: URL },
): Promise<SeedResult> {
  const repo = new WorkflowRepository(db);
  const result: SeedResult = { created: [], skipped: [] };
  for (const { graph } of await loadTemplates(options)) {
    // The same slug an import of this file would get, so seeding after an import adds no twin.
    const slug = slugify(graph.name);
    if (await repo.find(workspaceId, slug)) {
      result.skipped.push(slug);
      continue;
    }
    await repo.create(workspaceId, graph, slug);
    result.created.push(slug);
  }
  return result;
}

export const ASSISTANT_EXAMPLE = 'personal-assistant';

/**
 * Sets up the personal assistant in a workspace: the example workflow (seeded if missing; attached to a knowledge
 * base when one is given), published, and the phone number it serves with its time zone and daily summary time. Texts from that number then reach it by SMS,
 * and its reminders and summary go back by SMS. Running it again updates the number's settings.
 */
export async function seedAssistant(
  db: Database,
  workspaceId: string,
  options: {
    maxRetryAttempts: number;
    phone: string;
    timeZone: string;
    summaryTime: string | null;
    /** Questions about no task are answered from this knowledge base (left as it is when undefined). */
    knowledgeBaseId?: string;
    now: Date;
  },
): Promise<{ workflowSlug: string; version: number }> {
  const { knowledgeBaseId } = options;
  if (knowledgeBaseId !== undefined && !(await new KnowledgeStore(db).getBase(workspaceId, knowledgeBaseId)))
    throw new DuetError('not_found', `no knowledge base "${knowledgeBaseId}" in this workspace`);
  await seedExamples(db, workspaceId, options);
  const repo = new WorkflowRepository(db);
  if (knowledgeBaseId !== undefined) {
    const { draft } = await repo.get(workspaceId, ASSISTANT_EXAMPLE);
    const nodes = draft.nodes.map((n) =>
      n.type === 'assistant' ? { ...n, config: { ...n.config, knowledgeBaseId } } : n,
    );
    await repo.updateDraft(workspaceId, ASSISTANT_EXAMPLE, { ...draft, nodes });
  }
  const { version } = await repo.publish(workspaceId, ASSISTANT_EXAMPLE, 'duet seed --assistant');
  const workflow = await repo.get(workspaceId, ASSISTANT_EXAMPLE);
  await new AssistantContacts(db).put(
    workspaceId,
    {
      phone: options.phone,
      workflowId: workflow.id,
      timeZone: options.timeZone,
      summaryTime: options.summaryTime,
    },
    options.now,
  );
  return { workflowSlug: ASSISTANT_EXAMPLE, version: version.number };
}
