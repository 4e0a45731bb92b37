import type { Command } from 'commander';
import { graphLimits } from '../../config/env.ts';
import { migrate } from '../../store/migrate.ts';
import { seedExamples } from '../../store/seed.ts';
import { ensureDefaultWorkspace } from '../../store/workspaces.ts';
import { withDatabase } from '../database.ts';

export function registerSeed(program: Command) {
  program
    .command('seed')
    .description('load the example workflows into the default workspace (skips ones already there)')
    .action(async () => {
      await withDatabase(async (db, config) => {
        await migrate(db);
        const workspace = await ensureDefaultWorkspace(db);
        const result = await seedExamples(db, workspace.id, graphLimits(config));
        for (const slug of result.created) console.log(`  ✓ created ${slug}`);
        for (const slug of result.skipped) console.log(`  - kept ${slug} (already exists)`);
        console.log(`Seeded ${result.created.length} workflow(s) into workspace "${workspace.slug}".`);
      });
    });
}
