import { promises as dns, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { checkAddress, refusalMessage, type AllowList, type Refusal } from './address-policy.ts';

/** Why a connection was not opened: the address policy refused it. Reaches the caller as fetch's `cause`. */
export class AddressNotAllowedError extends Error {
  readonly code = 'EADDRNOTALLOWED';
  constructor(readonly refusal: Refusal) {
    super(refusalMessage(refusal));
    this.name = 'AddressNotAllowedError';
  }
}

/** Every address a name resolves to; the system resolver unless a test supplies one. */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

const systemResolve: Resolve = (hostname) => dns.lookup(hostname, { all: true });

/**
 * A `fetch` that connects only where the allow-list permits (SSRF protection). The check sits in the
 * connection itself, so it holds for every redirect hop and every reused pool, and the socket goes to the
 * very address that was checked: a name is resolved once, all its addresses are judged, and only those are
 * dialled, which leaves DNS rebinding no gap between check and connect. The URL's host still names the
 * server, so the Host header and the TLS server name stay as written.
 */
export function guardedFetch(list: AllowList, resolve: Resolve = systemResolve): typeof fetch {
  const connect = buildConnector({ lookup: checkedLookup(list, resolve) });
  const dispatcher = new Agent({
    connect(options, callback) {
      // net.connect calls the lookup for names only, so an IP (in the URL or a redirect) is judged here.
      const refusal = isIP(options.hostname) ? checkAddress(list, options.hostname, options.hostname) : undefined;
      if (refusal) callback(new AddressNotAllowedError(refusal), null);
      else connect(options, callback);
    },
  });
  // undici's own fetch, so that its Agent and its fetch always come from one version of undici.
  return ((input, init) => undiciFetch(input as never, { ...init, dispatcher } as never)) as typeof fetch;
}

/** A `lookup` for net.connect that resolves the name, refuses it if any address is refused, and hands back the rest. */
function checkedLookup(list: AllowList, resolve: Resolve): LookupFunction {
  return (hostname, options, callback) => {
    const done = callback as (error: Error | null, address?: string | LookupAddress[], family?: number) => void;
    resolve(hostname).then(
      (found) => {
        // All of them, not just the first: a name must not hide a private address among public ones.
        const refusal = found.map((a) => checkAddress(list, hostname, a.address)).find((r) => r !== undefined);
        if (refusal) return done(new AddressNotAllowedError(refusal));
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const usable = family ? found.filter((a) => a.family === family) : found;
        if (usable.length === 0)
          return done(Object.assign(new Error(`${hostname} has no IPv${family} address`), { code: 'ENOTFOUND' }));
        if (options.all) return done(null, usable);
        return done(null, usable[0]!.address, usable[0]!.family);
      },
      (error: Error) => done(error),
    );
  };
}

/** The refusal behind a failed fetch ("fetch failed", caused by …), if that is why it failed. */
export function addressNotAllowed(error: unknown): AddressNotAllowedError | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof AddressNotAllowedError) return cause;
  }
  return undefined;
}
