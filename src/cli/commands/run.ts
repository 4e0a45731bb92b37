import type { Command } from 'commander';
import { callApi, DEFAULT_URL, ServerUnavailable } from '../api-client.ts';
import type { StoredEvent } from '../../model/events.ts';
import { TERMINAL } from '../../model/execution.ts';
import type { ExecutionView, Json } from '../../model/views.ts';
import { CliError } from '../read-json.ts';

type Event = Json<StoredEvent>;
type Execution = Json<ExecutionView>;

/** How long `duet run` keeps trying to reach a server that went away (executions survive restarts). */
const RECONNECT_FOR_MS = 5 * 60_000;
const RECONNECT_EVERY_MS = [250, 500, 1000, 2000];

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
      'start an execution on a running server and follow its steps live, across server restarts (Ctrl+C stops following, not the execution)',
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
        const follow = reconnecting(started.id);
        let after = 0;
        for (;;) {
          const page: { items: Event[]; nextAfter: number } = await follow(() =>
            callApi(options.url, 'GET', `/api/v1/executions/${started.id}/events?after=${after}&waitMs=10000`),
          );
          for (const event of page.items) {
            const line = describeEvent(event);
            if (line) console.log(line);
          }
          after = page.nextAfter;
          if (page.items.some((e) => /^execution\.(completed|failed|cancelled|timed_out)$/.test(e.type))) break;
        }
        const final: Execution = await follow(() => callApi(options.url, 'GET', `/api/v1/executions/${started.id}`));
        if (!TERMINAL.has(final.status)) return;
        if (final.status === 'completed') console.log(JSON.stringify(final.output, null, 2));
        else process.exitCode = 1;
      },
    );
}

/**
 * Runs calls to a server that may restart under us: while it cannot be reached, says so once and tries again (the
 * execution is durable and goes on), for up to RECONNECT_FOR_MS; other errors end the command as usual.
 */
function reconnecting(executionId: string) {
  return async <T>(call: () => Promise<T>): Promise<T> => {
    let since: number | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await call();
        if (since !== undefined) console.log('  (reconnected)');
        return result;
      } catch (error) {
        if (!(error instanceof ServerUnavailable)) throw error;
        if (since === undefined) {
          since = Date.now();
          console.log(`  (lost the server: ${error.message.split(';')[0]}; reconnecting…)`);
        } else if (Date.now() - since > RECONNECT_FOR_MS) {
          throw new CliError(
            `${error.message}\nGave up following after ${RECONNECT_FOR_MS / 60_000} minutes; the execution goes on when the server is back: GET /api/v1/executions/${executionId}`,
          );
        }
        await new Promise((r) => setTimeout(r, RECONNECT_EVERY_MS[Math.min(attempt, RECONNECT_EVERY_MS.length - 1)]));
      }
    }
  };
}
