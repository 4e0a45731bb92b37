import type { Command } from 'commander';
import { callApi, DEFAULT_URL } from '../api-client.ts';
import type { StoredEvent } from '../../model/events.ts';
import { TERMINAL } from '../../model/execution.ts';
import type { ExecutionView, Json } from '../../model/views.ts';
import { CliError } from '../read-json.ts';

type Event = Json<StoredEvent>;
type Execution = Json<ExecutionView>;

/** One line per event a person cares about; null for the rest. */
export function describeEvent(event: Event): string | null {
  const step = event.nodeId ? `step ${event.nodeId}` : '';
  const { type, data } = event;
  switch (type) {
    case 'execution.started':
      return '▶ started';
    case 'step.started':
      return `  … ${step}${Number(data.attempt) > 1 ? ` (attempt ${data.attempt})` : ''}`;
    case 'step.completed':
      return `  ✓ ${step}${data.handle ? ` → ${data.handle}` : ''}`;
    case 'step.retrying':
      return `  ↻ ${step} failed (${data.error?.message}); retrying in ${data.delayMs} ms`;
    case 'step.failed':
      return `  ✗ ${step}: ${data.error?.message}${data.handled ? ' (taking its error path)' : ''}`;
    case 'step.skipped':
      return `  ↷ ${step} skipped`;
    case 'step.interrupted':
      return `  ! ${step} was interrupted by a restart; running it again`;
    case 'execution.waiting':
      return `⏸ waiting for ${data.reason}${data.prompt ? `: ${data.prompt}` : ''}${data.until ? ` until ${data.until}` : ''}`;
    case 'execution.paused':
      return '⏸ paused (resume with POST /api/v1/executions/<id>/resume)';
    case 'execution.resumed':
      return '▶ resumed';
    case 'execution.completed':
      return '■ completed';
    case 'execution.failed':
    case 'execution.cancelled':
    case 'execution.timed_out':
      return `■ ${event.type.slice('execution.'.length)}: ${data.error?.message ?? ''}`;
    default:
      return null;
  }
}

export function registerRun(program: Command) {
  program
    .command('run')
    .description(
      'start an execution on a running server and follow its steps live (Ctrl+C stops following, not the execution)',
    )
    .argument('<workflow>', 'workflow id or slug')
    .option('-i, --input <json>', 'input values as a JSON object', '{}')
    .option('-m, --mode <mode>', 'autonomous, step-by-step or hybrid')
    .option('--workflow-version <n>', 'run this published version instead of the latest')
    .option('--url <url>', 'the Duet server (env DUET_URL)', process.env.DUET_URL || DEFAULT_URL)
    .action(
      async (workflow: string, options: { input: string; mode?: string; workflowVersion?: string; url: string }) => {
        let input: unknown;
        try {
          input = JSON.parse(options.input);
        } catch (error) {
          throw new CliError(
            `--input is not valid JSON (${(error as Error).message}); e.g. --input '{"orderId":"A-17","amount":40}'`,
            2,
          );
        }
        const body = {
          input,
          ...(options.mode ? { mode: options.mode } : {}),
          ...(options.workflowVersion ? { version: Number(options.workflowVersion) } : {}),
        };
        const started: Execution = await callApi(
          options.url,
          'POST',
          `/api/v1/workflows/${encodeURIComponent(workflow)}/executions`,
          body,
        );
        console.log(`execution ${started.id}`);
        let after = 0;
        for (;;) {
          const page: { items: Event[]; nextAfter: number } = await callApi(
            options.url,
            'GET',
            `/api/v1/executions/${started.id}/events?after=${after}&waitMs=10000`,
          );
          for (const event of page.items) {
            const line = describeEvent(event);
            if (line) console.log(line);
          }
          after = page.nextAfter;
          if (page.items.some((e) => /^execution\.(completed|failed|cancelled|timed_out)$/.test(e.type))) break;
        }
        const final: Execution = await callApi(options.url, 'GET', `/api/v1/executions/${started.id}`);
        if (!TERMINAL.has(final.status)) return;
        if (final.status === 'completed') console.log(JSON.stringify(final.output, null, 2));
        else process.exitCode = 1;
      },
    );
}
