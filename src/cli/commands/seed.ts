import type { Command } from 'commander';
import { graphLimits } from '../../config/env.ts';
import { SUMMARY_TIME } from '../../assistant/summary-time.ts';
import { phoneSchema, timeZoneSchema } from '../../model/tasks.ts';
import { migrate } from '../../store/migrate.ts';
import { seedAssistant, seedExamples } from '../../store/seed.ts';
import { ensureDefaultWorkspace } from '../../store/workspaces.ts';
import { withDatabase } from '../database.ts';

interface SeedOptions {
  assistant?: boolean;
  phone?: string;
  timeZone: string;
  summaryAt: string;
  knowledgeBase?: string;
}

/** Why the --assistant options cannot be used, or null. */
function assistantProblem(options: SeedOptions): string | null {
  if (!options.phone) return '--assistant needs --phone, the number it serves (E.164, e.g. +15551234567)';
  const phone = phoneSchema.safeParse(options.phone);
  if (!phone.success) return `--phone: ${phone.error.issues[0]!.message}`;
  const zone = timeZoneSchema.safeParse(options.timeZone);
  if (!zone.success) return `--time-zone: ${zone.error.issues[0]!.message}`;
  if (options.summaryAt !== 'off' && !SUMMARY_TIME.test(options.summaryAt))
    return '--summary-at is a 24-hour local time such as 08:00, or off';
  if (options.knowledgeBase !== undefined && !/^[0-9a-f-]{36}$/i.test(options.knowledgeBase))
    return '--knowledge-base is the id of a knowledge base (on the Knowledge page, or GET /api/v1/knowledge-bases)';
  return null;
}

export function registerSeed(program: Command) {
  program
    .command('seed')
    .description('load the example workflows into the default workspace (skips ones already there)')
    .option('--assistant', 'also set up the personal assistant for --phone (published, reached by SMS)')
    .option('--phone <e164>', 'the phone number the assistant serves')
    .option('--time-zone <zone>', 'its IANA time zone', 'UTC')
    .option('--summary-at <HH:MM>', 'local time of the daily summary SMS, or off', '08:00')
    .option('--knowledge-base <id>', 'answer questions about no task from this knowledge base (with sources)')
    .action(async (options: SeedOptions) => {
      const problem = options.assistant
        ? assistantProblem(options)
        : options.knowledgeBase !== undefined
          ? '--knowledge-base goes with --assistant'
          : null;
      if (problem) {
        console.error(problem);
        process.exitCode = 2;
        return;
      }
      await withDatabase(async (db, config) => {
        await migrate(db);
        const workspace = await ensureDefaultWorkspace(db);
        const result = await seedExamples(db, workspace.id, graphLimits(config));
        for (const slug of result.created) console.log(`  ✓ created ${slug}`);
        for (const slug of result.skipped) console.log(`  - kept ${slug} (already exists)`);
        console.log(`Seeded ${result.created.length} workflow(s) into workspace "${workspace.slug}".`);
        if (!options.assistant) return;
        const summaryTime = options.summaryAt === 'off' ? null : options.summaryAt;
        const assistant = await seedAssistant(db, workspace.id, {
          maxRetryAttempts: config.MAX_RETRY_ATTEMPTS,
          phone: options.phone!,
          timeZone: options.timeZone,
          summaryTime,
          ...(options.knowledgeBase !== undefined ? { knowledgeBaseId: options.knowledgeBase } : {}),
          now: new Date(),
        });
        console.log(
          `Personal assistant: ${assistant.workflowSlug} v${assistant.version} answers texts from ${options.phone} ` +
            `(${options.timeZone}${summaryTime ? `, daily summary at ${summaryTime}` : ''}).`,
        );
        if (options.knowledgeBase)
          console.log(`  It answers other questions from knowledge base ${options.knowledgeBase}.`);
        if (!config.TWILIO_FROM)
          console.log('  SMS is not configured yet: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM.');
      });
    });
}
