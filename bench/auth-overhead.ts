import autocannon from 'autocannon';
import { createPasswordUser } from '../src/store/users.ts';
import { upsertMember } from '../src/store/members.ts';
import { ensureDefaultWorkspace } from '../src/store/workspaces.ts';
import { authHeaders, edge, node, startDuet } from './duet.ts';
import { envCount, fmt, median, progress, type Benchmark, type Section } from './machine.ts';

const CONNECTIONS = 50;
const SECONDS = envCount('BENCH_AUTH_SECONDS', 5);
const PASSWORD = 'bench password, long enough';

interface Load {
  perSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}
interface AuthRound {
  publicRoute: Load;
  apiKey: Load;
  cookie: Load;
}

async function load(url: string, headers: Record<string, string>, seconds = SECONDS): Promise<Load> {
  const result = await autocannon({
    url,
    headers,
    connections: CONNECTIONS,
    duration: seconds,
    workers: 1,
    timeout: 30,
  });
  return {
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
  };
}

/** A session cookie for a fresh member, from the real sign-in route. */
async function sessionCookie(
  url: string,
  db: Parameters<typeof createPasswordUser>[0],
  workspaceId: string,
): Promise<string> {
  const user = await createPasswordUser(db, { email: 'bench@example.com', password: PASSWORD });
  await upsertMember(db, workspaceId, user.id, 'editor');
  const response = await fetch(`${url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email: user.email, password: PASSWORD }),
  });
  if (!response.ok) throw new Error(`sign-in answered ${response.status}: ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/**
 * What checking credentials costs per request: the same read (`GET /api/v1/workflows/<slug>`) with an API key and
 * with a session cookie, against a public route that does one query of its own (`GET /api/v1/setup`).
 */
async function round(): Promise<AuthRound> {
  const duet = await startDuet();
  try {
    const slug = await duet.publish({
      name: 'Auth bench',
      nodes: [node('start', 'start'), node('done', 'response', { output: 1 })],
      edges: [edge('start', 'done')],
    });
    const workspace = await ensureDefaultWorkspace(duet.server.db);
    const cookie = await sessionCookie(duet.url, duet.server.db.orm, workspace.id);
    const read = `${duet.url}/api/v1/workflows/${slug}`;
    const measure = async (what: string, url: string, headers: Record<string, string>) => {
      progress(`auth overhead: ${what}, ${SECONDS} s with ${CONNECTIONS} connections`);
      await load(url, headers, 1);
      return load(url, headers);
    };
    return {
      publicRoute: await measure('public route', `${duet.url}/api/v1/setup`, {}),
      apiKey: await measure('API key', read, authHeaders(duet.url)),
      cookie: await measure('session cookie', read, { cookie }),
    };
  } finally {
    await duet.close();
  }
}

function report(rounds: AuthRound[]): Section {
  const m = (pick: (r: AuthRound) => number) => median(rounds.map(pick));
  const base = m((r) => r.publicRoute.perSecond);
  const row = (label: string, pick: (r: AuthRound) => Load) => [
    label,
    fmt(m((r) => pick(r).perSecond)),
    fmt(m((r) => pick(r).p50)),
    fmt(m((r) => pick(r).p99)),
    fmt(m((r) => pick(r).perSecond) / base, 2),
    String(rounds.reduce((n, r) => n + pick(r).non2xx, 0)),
  ];
  return {
    title: 'Authentication overhead',
    about:
      `Requests/s and latency with autocannon (${CONNECTIONS} connections, ${SECONDS} s per case after a 1 s warm-up) on ` +
      'one server with the embedded database. Baseline: `GET /api/v1/setup`, a public route that runs one count ' +
      'query and checks no credentials. Then the same authenticated read, `GET /api/v1/workflows/<slug>`, with an ' +
      'API key (one indexed lookup of its hash, joined with its workspace) and with a better-auth session cookie ' +
      '(session and user lookups, then the membership).',
    table: [
      ['', 'requests/s', 'p50 (ms)', 'p99 (ms)', '÷ public route', 'non-2xx'],
      row('public route, no credentials', (r) => r.publicRoute),
      row('workflow read, API key', (r) => r.apiKey),
      row('workflow read, session cookie', (r) => r.cookie),
    ],
    notes: [
      `Requests/s per round: public ${rounds.map((r) => fmt(r.publicRoute.perSecond)).join(', ')}; API key ${rounds.map((r) => fmt(r.apiKey.perSecond)).join(', ')}; cookie ${rounds.map((r) => fmt(r.cookie.perSecond)).join(', ')}.`,
    ],
  };
}

export const benchmark: Benchmark<AuthRound> = { rounds: envCount('BENCH_ROUNDS', 3), round, report };
