import { readdir, readFile } from 'node:fs/promises';
import { requireValidGraph } from '../graph/require-valid.ts';
import type { ValidateOptions } from '../graph/validate.ts';
import type { WorkflowGraph } from '../model/graph.ts';

/** The example workflows shipped with Duet (examples/*.json), which seeding and the template gallery offer. */
export const EXAMPLES_DIR = new URL('../../examples/', import.meta.url);

/** A shipped example workflow; `id` is its file name without `.json`. */
export interface WorkflowTemplate {
  id: string;
  graph: WorkflowGraph;
}

/**
 * Reads and validates every example in `dir`, sorted by file name. The list is fixed once read: callers look a
 * template up by id in it, never by building a path from what a request says.
 */
export async function loadTemplates(options: ValidateOptions & { dir?: URL }): Promise<WorkflowTemplate[]> {
  const dir = options.dir ?? EXAMPLES_DIR;
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const templates: WorkflowTemplate[] = [];
  for (const file of files) {
    const graph = requireValidGraph(JSON.parse(await readFile(new URL(file, dir), 'utf8')), options);
    templates.push({ id: file.slice(0, -'.json'.length), graph });
  }
  return templates;
}
