import type { Command } from 'commander';
import { graphLimits, loadConfig } from '../../config/env.ts';
import { validateGraph } from '../../graph/validate.ts';
import { isExportEnvelope } from '../../model/export.ts';
import { formatProblems } from '../output.ts';
import { readJsonFile } from '../read-json.ts';

export function registerValidate(program: Command) {
  program
    .command('validate')
    .description('check a workflow file offline and print every problem with its location (exit 1 on problems)')
    .argument('<file>', 'a workflow graph JSON or an exported .duet.json file')
    .action(async (file: string) => {
      const config = loadConfig();
      const document = await readJsonFile(file);
      const raw = isExportEnvelope(document) ? (document as { graph: unknown }).graph : document;
      const { graph, problems } = validateGraph(raw, graphLimits(config));
      if (graph) {
        console.log(`✓ ${file}: "${graph.name}" is valid (${graph.nodes.length} nodes, ${graph.edges.length} edges)`);
        return;
      }
      console.error(`✗ ${file}: ${problems.length} problem(s)\n${formatProblems(problems)}`);
      process.exitCode = 1;
    });
}
