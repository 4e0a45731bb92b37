import { createHmac } from 'node:crypto';
import autocannon from 'autocannon';
import { authHeaders, edge, node, post, startDuet } from './duet.ts';
import { envCount, fmt, median, progress, type Benchmark, type Section } from './machine.ts';

const CONNECTIONS = 50;
const SECONDS = envCount('BENCH_SECONDS', 10);
const SECRET = 'bench webhook secret';

interface WebhookRound {
  perSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

/**
 * Webhook → execution started: signed deliveries (`X-Duet-Signature`, HMAC-SHA256 over the raw body) to an async
 * hook, each answered 202 once its execution is committed `queued`. The signature is made once for the run
 * (the timestamp stays within the 300 s tolerance), so the load measures the server's checks, not the client's.
 */
async function round(): Promise<WebhookRound> {
  const duet = await startDuet({ MAX_CONCURRENT_EXECUTIONS: '200' });
  try {
    const slug = await duet.publish({
      name: 'Webhook bench',
      inputs: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
      nodes: [node('start', 'start'), node('done', 'response', { output: '{{input.n}}' })],
      edges: [edge('start', 'done')],
    });
    await fetch(`${duet.url}/api/v1/secrets/BENCH_HOOK`, {
      method: 'PUT',
      headers: { ...authHeaders(duet.url), 'content-type': 'application/json' },
      body: JSON.stringify({ value: SECRET }),
    });
    const hook = (await post(
      `${duet.url}/api/v1/workflows/${slug}/triggers`,
      {
        type: 'webhook',
        config: { path: 'bench', auth: { scheme: 'hmac', secret: 'BENCH_HOOK' }, rateLimitPerMinute: 100_000 },
      },
      201,
    )) as { url: string };
    const body = JSON.stringify({ n: 7 });
    const t = Math.floor(Date.now() / 1000);
    const signature = `t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex')}`;
    const headers = { 'content-type': 'application/json', 'x-duet-signature': signature };
    const run = (duration: number) =>
      autocannon({
        url: `${duet.url}${hook.url}`,
        method: 'POST',
        body,
        headers,
        connections: CONNECTIONS,
        duration,
        workers: 1,
        timeout: 30,
      });
    progress(`webhooks: ${SECONDS} s of signed deliveries with ${CONNECTIONS} connections`);
    await run(1);
    const result = await run(SECONDS);
    if (result.errors > 0 || result.timeouts > 0)
      progress(`webhooks: ${result.errors} errors, ${result.timeouts} timeouts`);
    return {
      perSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx,
    };
  } finally {
    await duet.close();
  }
}

function report(rounds: WebhookRound[]): Section {
  const m = (pick: (r: WebhookRound) => number) => fmt(median(rounds.map(pick)));
  return {
    title: 'Webhook deliveries',
    about:
      `Signed deliveries (X-Duet-Signature checked over the raw body, the hook's secret read from the workspace ` +
      `secrets) to an async webhook, each answered 202 once its execution is committed; autocannon, ${CONNECTIONS} ` +
      `connections, ${SECONDS} s after a 1 s warm-up, embedded database.`,
    table: [
      ['deliveries/s', 'p50 (ms)', 'p99 (ms)', 'non-2xx'],
      [m((r) => r.perSecond), m((r) => r.p50), m((r) => r.p99), String(rounds.reduce((n, r) => n + r.non2xx, 0))],
    ],
  };
}

export const benchmark: Benchmark<WebhookRound> = { rounds: envCount('BENCH_ROUNDS', 3), round, report };
