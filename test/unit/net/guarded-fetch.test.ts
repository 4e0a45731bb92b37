import type { LookupAddress } from 'node:dns';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllowList } from '../../../src/net/address-policy.ts';
import { addressNotAllowed, guardedFetch } from '../../../src/net/guarded-fetch.ts';

/** Two loopback servers on one port number each: 127.0.0.2 plays the allowed host, 127.0.0.1 the forbidden one. */
const seen: Record<string, IncomingHttpHeaders[]> = { '127.0.0.1': [], '127.0.0.2': [] };
const servers: Server[] = [];
let port = 0;

beforeAll(async () => {
  for (const host of ['127.0.0.2', '127.0.0.1']) {
    const server = createServer((req, res) => {
      seen[host]!.push(req.headers);
      res.end(host);
    });
    await new Promise<void>((r) => server.listen(port, host, r));
    port = (server.address() as AddressInfo).port;
    servers.push(server);
  }
});
afterAll(async () => {
  for (const server of servers)
    await new Promise((r) => {
      server.closeAllConnections();
      server.close(r);
    });
});

/** A resolver that answers each call with the next list, and counts the calls. */
function scripted(...answers: string[][]): { resolve: (host: string) => Promise<LookupAddress[]>; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    resolve: async (host) => {
      calls.push(host);
      return (answers[Math.min(calls.length - 1, answers.length - 1)] ?? []).map((address) => ({ address, family: 4 }));
    },
  };
}

async function failureOf(promise: Promise<unknown>): Promise<string | undefined> {
  return addressNotAllowed(
    await promise.then(
      () => undefined,
      (e: unknown) => e,
    ),
  )?.message;
}

describe('guarded fetch', () => {
  it('connects to the address it checked, once resolved, with the name kept in the Host header', async () => {
    // A resolver that rebinds: the second answer would be loopback. Only one lookup is made, and its answer is dialled.
    const dns = scripted(['127.0.0.2'], ['127.0.0.1']);
    const fetch = guardedFetch(parseAllowList(['127.0.0.2/32']), dns.resolve);
    const response = await fetch(`http://rebind.test:${port}/`);
    expect(await response.text()).toBe('127.0.0.2');
    expect(dns.calls).toEqual(['rebind.test']);
    expect(seen['127.0.0.2']!.at(-1)?.host).toBe(`rebind.test:${port}`);
    expect(seen['127.0.0.1']).toHaveLength(0);
  });

  it('refuses a name when any one of its addresses is refused, and connects nowhere', async () => {
    const before = seen['127.0.0.2']!.length;
    const fetch = guardedFetch(parseAllowList(['127.0.0.2/32']), scripted(['127.0.0.2', '127.0.0.1']).resolve);
    expect(await failureOf(fetch(`http://mixed.test:${port}/`))).toMatch(
      /^mixed\.test \(127\.0\.0\.1\) is a loopback address/,
    );
    expect(seen['127.0.0.2']).toHaveLength(before);
    expect(seen['127.0.0.1']).toHaveLength(0);
  });

  it('lets a listed name resolve anywhere', async () => {
    const fetch = guardedFetch(parseAllowList(['*.corp.test']), scripted(['127.0.0.1']).resolve);
    expect(await (await fetch(`http://api.corp.test:${port}/`)).text()).toBe('127.0.0.1');
    seen['127.0.0.1']!.length = 0;
  });

  it('refuses an IP in the URL without resolving anything', async () => {
    const dns = scripted();
    const fetch = guardedFetch(parseAllowList([]), dns.resolve);
    expect(await failureOf(fetch(`http://127.0.0.1:${port}/`))).toMatch(/^127\.0\.0\.1 is a loopback address/);
    expect(await failureOf(fetch('http://169.254.169.254/latest/meta-data/'))).toMatch(
      /^169\.254\.169\.254 is a cloud metadata address/,
    );
    expect(dns.calls).toEqual([]);
    expect(seen['127.0.0.1']).toHaveLength(0);
  });

  it('passes on a resolver failure as it is', async () => {
    const fetch = guardedFetch(parseAllowList([]), async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.test'), { code: 'ENOTFOUND' });
    });
    const error = await fetch('http://nowhere.test/').then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(addressNotAllowed(error)).toBeUndefined();
    expect((error?.cause as Error).message).toBe('getaddrinfo ENOTFOUND nowhere.test');
  });
});
