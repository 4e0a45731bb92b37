import { readdir, readFile } from 'node:fs/promises';
import { requireValidGraph } from '../graph/require-valid.ts';
import type { ValidateOptions } from '../graph/validate.ts';
import type { Database } from './db.ts';
import { AssistantContacts } from './tasks.ts';
import { slugify, WorkflowRepository } from './workflows.ts';

export const EXAMPLES_DIR = new URL('../../examples/', import.meta.url);

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
  const dir = options.dir ?? EXAMPLES_DIR;
  const repo = new WorkflowRepository(db);
  const result: SeedResult = { created: [], skipped: [] };
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  for (const file of files) {
    const graph = requireValidGraph(JSON.parse(await readFile(new URL(file, dir), 'utf8')), options);
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
 * Sets up the personal assistant in a workspace: the example workflow (seeded if missing), published, and the
 * phone number it serves with its time zone and daily summary time. Texts from that number then reach it by SMS,
 * and its reminders and summary go back by SMS. Running it again updates the number's settings.
 */
export async function seedAssistant(
  db: Database,
  workspaceId: string,
  options: { maxRetryAttempts: number; phone: string; timeZone: string; summaryTime: string | null; now: Date },
): Promise<{ workflowSlug: string; version: number }> {
  await seedExamples(db, workspaceId, options);
  const repo = new WorkflowRepository(db);
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
