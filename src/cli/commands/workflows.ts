import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { callApi, DEFAULT_URL } from '../api-client.ts';
import { formatTable } from '../output.ts';
import { readJsonFile } from '../read-json.ts';

interface WorkflowSummary {
  id: string;
  slug: string;
  name: string;
  latestVersion: number | null;
  updatedAt: string;
}

/** Workflow commands talk to a running server, so they work while it owns the embedded database. */
export function registerWorkflows(program: Command) {
  const workflows = program
    .command('workflows')
    .description('list, import and export workflows on a running Duet server')
    .option('--url <url>', 'the Duet server (env DUET_URL)', process.env.DUET_URL || DEFAULT_URL);
  const url = () => workflows.opts<{ url: string }>().url;

  workflows
    .command('list')
    .description('list every workflow of the workspace')
    .action(async () => {
      const rows: WorkflowSummary[] = [];
      let cursor: string | null = null;
      do {
        const query = `/api/v1/workflows?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page: { items: WorkflowSummary[]; nextCursor: string | null } = await callApi(url(), 'GET', query);
        rows.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      if (rows.length === 0) {
        console.log(
          'No workflows yet. Import one with `duet workflows import examples/refund-request.json` or run `duet seed`.',
        );
        return;
      }
      console.log(
        formatTable(
          ['SLUG', 'NAME', 'VERSION', 'UPDATED', 'ID'],
          rows.map((w) => [w.slug, w.name, w.latestVersion ? `v${w.latestVersion}` : 'draft', w.updatedAt, w.id]),
        ),
      );
    });

  workflows
    .command('import')
    .description('import a workflow graph or exported .duet.json file as a new workflow')
    .argument('<file>', 'the JSON file to import')
    .action(async (file: string) => {
      const document = await readJsonFile(file);
      const created: WorkflowSummary = await callApi(url(), 'POST', '/api/v1/workflows/import', document);
      console.log(`✓ imported "${created.name}" as ${created.slug} (${created.id})`);
    });

  workflows
    .command('export')
    .description('export a workflow (by id or slug) as a portable JSON file')
    .argument('<id>', 'workflow id or slug')
    .option('-o, --out <file>', 'write to this file instead of standard output')
    .action(async (id: string, options: { out?: string }) => {
      const exported = await callApi(url(), 'GET', `/api/v1/workflows/${encodeURIComponent(id)}/export`);
      const text = `${JSON.stringify(exported, null, 2)}\n`;
      if (!options.out) {
        process.stdout.write(text);
        return;
      }
      await writeFile(options.out, text);
      console.error(`✓ wrote ${options.out}`);
    });
}
