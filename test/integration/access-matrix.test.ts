import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/model/roles.ts';
import type { RouteAccess } from '../../src/server/plugins/auth.ts';
import { GRANTED } from '../support/accounts.ts';
import type { Json } from '../support/http.ts';
import {
  addressesResource,
  buildWorld,
  SHARED_BY_EVERY_WORKSPACE,
  type Call,
  type Caller,
  type World,
} from '../support/route-calls.ts';

/**
 * The role × route matrix of issue 6, generated from the route table: every route the app registered, called by
 * every kind of caller, with the answer each must get computed from the route's declared access alone.
 */

/** `allowed`: a real answer (2xx, or 409 when the resource's state refuses the command); `public`: anything but 401/403. */
type Expected = 'allowed' | 'public' | 401 | 403 | 404;

/** What `caller` must get from a route, by its declared access (the rules of `Access` in src/model/roles.ts). */
function expected(route: RouteAccess, caller: Caller): Expected {
  const { access } = route;
  if (access === 'public') return 'public';
  if (access === 'operator') {
    // An instance admin, or whoever sends ADMIN_TOKEN (set here, so a loopback caller is not enough by itself).
    if (caller.instanceAdmin || caller.kind === 'operator') return 'allowed';
    return caller.kind === 'api_key' ? 403 : 401;
  }
  // ADMIN_TOKEN is not an account: it opens operator routes only.
  if (caller.kind === 'anonymous' || caller.kind === 'operator') return 401;
  if (access === 'signed-in') return 'allowed';
  if (access === 'instance-admin') return caller.instanceAdmin ? 'allowed' : 403;
  if (!(PERMISSIONS as readonly string[]).includes(access))
    throw new Error(`unknown access "${String(access)}"; teach this test what it means`);
  if (!GRANTED[caller.role!].includes(access)) return 403;
  // A member of another workspace acts in their own, where A's ids do not exist: 404, never 403.
  return caller.workspace !== 'A' && addressesResource(route) ? 404 : 'allowed';
}

function matches(want: Expected, status: number): boolean {
  if (want === 'public') return status !== 401 && status !== 403;
  if (want === 'allowed') return (status >= 200 && status < 300) || status === 409;
  return status === want;
}

interface Row {
  route: string;
  caller: string;
  expected: string;
  got: string;
  problem: string;
}

function table(rows: Row[]): string {
  const head: Row = { route: 'route', caller: 'caller', expected: 'expected', got: 'got', problem: 'problem' };
  const cols = Object.keys(head) as (keyof Row)[];
  const width = Object.fromEntries(
    cols.map((c) => [c, Math.max(...[head, ...rows].map((r) => r[c].length))]),
  ) as Record<keyof Row, number>;
  return [head, ...rows].map((r) => cols.map((c) => r[c].padEnd(width[c])).join(' | ')).join('\n');
}

/** The ids of a list answer's items (members are named by userId). */
function itemIds(call: Call | undefined): string[] {
  const items = call && call.status === 200 ? (call.json() as { items?: Json[] }).items : undefined;
  return Array.isArray(items)
    ? items
        .map((item: Json) => item.id ?? item.userId ?? item.name)
        .filter((id): id is string => typeof id === 'string')
    : [];
}

let world: World;
beforeAll(async () => {
  world = await buildWorld();
}, 120_000);
afterAll(async () => {
  await world.close();
});

describe('role × route matrix', () => {
  it('covers every kind of access the app declares', () => {
    const kinds = new Set(world.t.app.routeAccess.map((r) => r.access));
    expect(world.t.app.routeAccess.length).toBeGreaterThan(50);
    for (const kind of ['public', 'signed-in', 'instance-admin', 'operator', ...PERMISSIONS])
      expect(kinds, kind).toContain(kind);
  });

  it('answers every route for every caller as its declared access says, and a foreign workspace learns nothing', async () => {
    const rows: Row[] = [];
    const problem = (call: { route: string; caller: string }, want: string, got: string, text: string) =>
      rows.push({ ...call, expected: want, got, problem: text });
    const calls = new Map<string, Call>();
    let checked = 0;

    for (const route of world.t.app.routeAccess) {
      const routeName = `${route.method} ${route.url} [${route.access}]`;
      for (const caller of world.callers) {
        const at = { route: routeName, caller: caller.name };
        let want: Expected;
        try {
          want = expected(route, caller);
        } catch (error) {
          problem(at, '?', '-', (error as Error).message);
          continue;
        }
        const call = await world.call(route, caller);
        if (!call) {
          problem(at, String(want), '-', 'no fixture: add one for this route to test/support/route-calls.ts');
          break;
        }
        calls.set(`${routeName} ${caller.name}`, call);
        checked += 1;
        if (!matches(want, call.status)) problem(at, String(want), String(call.status), call.body.slice(0, 120));
        else if (want !== 'allowed' && want !== 'public' && call.intact && !(await call.intact())) {
          problem(at, String(want), String(call.status), 'refused, yet the resource changed');
        }
        if (caller.workspace === 'B' && route.access !== 'public' && call.status < 300) {
          if (call.body.includes(world.A.workspaceId))
            problem(at, String(want), String(call.status), "answer names workspace A's id");
          if (
            route.method === 'GET' &&
            !addressesResource(route) &&
            !SHARED_BY_EVERY_WORKSPACE.has(`${route.method} ${route.url}`)
          ) {
            const ownCall = calls.get(`${routeName} A admin (key)`);
            const own = itemIds(ownCall);
            if (own.length === 0 && Array.isArray(ownCall?.json().items)) {
              problem(
                at,
                String(want),
                String(call.status),
                "A's own list is empty, so this leak check proves nothing",
              );
            }
            const leaked = itemIds(call).filter((id) => own.includes(id));
            if (leaked.length > 0)
              problem(at, String(want), String(call.status), `sees A's items ${leaked.join(', ')}`);
          }
        }
      }
    }

    expect(checked).toBeGreaterThan(world.t.app.routeAccess.length * world.callers.length * 0.9);
    expect(rows, `\n${rows.length} of ${checked} calls went wrong:\n${table(rows)}\n`).toEqual([]);
  }, 600_000);
});
