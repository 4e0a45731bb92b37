import { isIP } from 'node:net';

/**
 * Which addresses an `http` block may connect to (SSRF protection). Pure: no DNS, no sockets; the caller
 * resolves names and asks about every address it would connect to.
 */

/** Why an address is refused unless HTTP_ALLOWED_HOSTS permits it. */
export type AddressKind =
  | 'cloud metadata'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unique-local'
  | 'shared (CGNAT)'
  | 'multicast'
  | 'unspecified'
  | 'reserved';

interface Ip {
  version: 4 | 6;
  value: bigint;
}
interface Range {
  version: 4 | 6;
  network: bigint;
  prefix: number;
}

/** First match wins, so the metadata endpoints come before the ranges that hold them. */
const BLOCKED: ReadonlyArray<readonly [cidr: string, kind: AddressKind]> = [
  ['169.254.169.254/32', 'cloud metadata'], // AWS, GCP, Azure, OpenStack…
  ['168.63.129.16/32', 'cloud metadata'], // Azure wire server: a public address reachable only from inside Azure
  ['100.100.100.200/32', 'cloud metadata'], // Alibaba Cloud
  ['fd00:ec2::254/128', 'cloud metadata'], // AWS over IPv6
  ['0.0.0.0/8', 'unspecified'], // "this network": Linux connects 0.0.0.0 to itself
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared (CGNAT)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'], // IETF protocol assignments
  ['192.0.2.0/24', 'reserved'], // documentation
  ['192.88.99.0/24', 'reserved'], // old 6to4 relays
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'], // benchmarking
  ['198.51.100.0/24', 'reserved'], // documentation
  ['203.0.113.0/24', 'reserved'], // documentation
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'], // including 255.255.255.255
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::/96', 'reserved'], // IPv4-compatible, deprecated
  ['64:ff9b:1::/48', 'reserved'], // local-use NAT64
  ['100::/64', 'reserved'], // discard-only
  ['2001::/32', 'reserved'], // Teredo
  ['2001:db8::/32', 'reserved'], // documentation
  ['3fff::/20', 'reserved'], // documentation
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'reserved'], // site-local, deprecated
  ['ff00::/8', 'multicast'],
];
const BLOCKED_RANGES = BLOCKED.map(([cidr, kind]) => ({ range: parseCidr(cidr)!, kind }));

/** IPv6 prefixes that carry an IPv4 address a connection ends up at: judge that address instead. */
const MAPPED = parseCidr('::ffff:0:0/96')!;
const NAT64 = parseCidr('64:ff9b::/96')!;
const SIX_TO_FOUR = parseCidr('2002::/16')!;

/** Parses a literal IPv4 or IPv6 address (brackets and a zone id allowed); anything else is undefined. */
function parseIp(text: string): Ip | undefined {
  const bare = (text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text).replace(/%.*$/, '');
  const version = isIP(bare);
  if (version === 4) return { version: 4, value: ipv4Value(bare) };
  if (version === 6) return { version: 6, value: ipv6Value(bare) };
  return undefined;
}

function ipv4Value(text: string): bigint {
  return text.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

/** Eight 16-bit groups, `::` expanded, a dotted IPv4 tail turned into the last two groups. */
function ipv6Value(text: string): bigint {
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  const hex = tail === undefined ? text : text.slice(0, -tail.length) + ipv4Groups(tail);
  const [head = '', rest] = hex.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(rest);
  const all = rest === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return all.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function ipv4Groups(dotted: string): string {
  const value = ipv4Value(dotted);
  return `${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
}

function parseCidr(text: string): Range | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  const ip = match && parseIp(match[1]!);
  const prefix = Number(match?.[2]);
  if (!ip || prefix > bits(ip.version)) return undefined;
  return { version: ip.version, network: ip.value, prefix };
}

function bits(version: 4 | 6): number {
  return version === 4 ? 32 : 128;
}

function contains(range: Range, ip: Ip): boolean {
  if (range.version !== ip.version) return false;
  const shift = BigInt(bits(ip.version) - range.prefix);
  return range.network >> shift === ip.value >> shift;
}

/** The IPv4 address an IPv6 one stands for (mapped ::ffff:a.b.c.d, NAT64, 6to4), if any. */
function embeddedIpv4(ip: Ip): Ip | undefined {
  if (contains(MAPPED, ip) || contains(NAT64, ip)) return { version: 4, value: ip.value & 0xffff_ffffn };
  if (contains(SIX_TO_FOUR, ip)) return { version: 4, value: (ip.value >> 80n) & 0xffff_ffffn };
  return undefined;
}

/** Why `address` may not be reached by default, or undefined for a public address. Not an IP: refused too. */
export function classifyAddress(address: string): AddressKind | undefined {
  const ip = parseIp(address);
  if (!ip) return 'reserved';
  return kindOf(embeddedIpv4(ip) ?? ip);
}

function kindOf(ip: Ip): AddressKind | undefined {
  return BLOCKED_RANGES.find(({ range }) => contains(range, ip))?.kind;
}

/** HTTP_ALLOWED_HOSTS, parsed: exact names, `*.suffix` names, and IP/CIDR ranges (a single IP is a /32 or /128). */
export interface AllowList {
  names: ReadonlySet<string>;
  /** `*.example.com` is kept as `.example.com`: it matches subdomains, not example.com itself. */
  suffixes: readonly string[];
  ranges: readonly Range[];
}

type AllowEntry = { name: string } | { suffix: string } | { range: Range } | { problem: string };

const HOST_NAME = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/;

function parseAllowEntry(entry: string): AllowEntry {
  const text = normaliseHost(entry);
  const ip = parseIp(text);
  if (ip) return { range: { version: ip.version, network: ip.value, prefix: bits(ip.version) } };
  if (/^[\d.:a-f]+\/\d*$/.test(text)) {
    const range = parseCidr(text);
    return range
      ? { range }
      : {
          problem: `"${entry}" is not a CIDR range such as 10.0.0.0/8 or fd00::/8 (an IP address, then / and a prefix of at most 32 for IPv4, 128 for IPv6)`,
        };
  }
  if (text.startsWith('*.') && HOST_NAME.test(text.slice(2))) return { suffix: text.slice(1) };
  if (HOST_NAME.test(text)) return { name: text };
  return {
    problem: `"${entry}" is not a host name, *.domain, IP address or CIDR range (write e.g. api.internal, *.internal.example, 10.1.2.3 or 10.0.0.0/8, without scheme, port or path)`,
  };
}

/** What is wrong with one HTTP_ALLOWED_HOSTS entry, or undefined when it is fine. */
export function allowEntryProblem(entry: string): string | undefined {
  const parsed = parseAllowEntry(entry);
  return 'problem' in parsed ? parsed.problem : undefined;
}

/** Builds the allow-list; entries must have passed `allowEntryProblem` (the config schema checks them). */
export function parseAllowList(entries: readonly string[]): AllowList {
  const names = new Set<string>();
  const suffixes: string[] = [];
  const ranges: Range[] = [];
  for (const entry of entries) {
    const parsed = parseAllowEntry(entry);
    if ('problem' in parsed) throw new TypeError(`HTTP_ALLOWED_HOSTS: ${parsed.problem}`);
    if ('name' in parsed) names.add(parsed.name);
    else if ('suffix' in parsed) suffixes.push(parsed.suffix);
    else ranges.push(parsed.range);
  }
  return { names, suffixes, ranges };
}

/** Lower case, no brackets around IPv6, no trailing dot: how names compare. */
function normaliseHost(host: string): string {
  const lower = host.trim().toLowerCase();
  const bare = lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower;
  return bare.endsWith('.') ? bare.slice(0, -1) : bare;
}

function allowsName(list: AllowList, host: string): boolean {
  const name = normaliseHost(host);
  return list.names.has(name) || list.suffixes.some((suffix) => name.endsWith(suffix));
}

function allowsAddress(list: AllowList, address: string): boolean {
  const ip = parseIp(address);
  if (!ip) return false;
  const embedded = embeddedIpv4(ip);
  return list.ranges.some((range) => contains(range, ip) || (embedded !== undefined && contains(range, embedded)));
}

/** A connection the policy refuses: to `address`, found for `host` (the same text when the URL held an IP). */
export interface Refusal {
  host: string;
  address: string;
  kind: AddressKind;
}

/**
 * May a connection to `host` go to `address`? A host named in the allow-list may resolve anywhere; otherwise
 * the address must be public or inside an allowed IP/CIDR. Returns the refusal, or undefined to go ahead.
 */
export function checkAddress(list: AllowList, host: string, address: string): Refusal | undefined {
  if (allowsName(list, host)) return undefined;
  const kind = classifyAddress(address);
  if (kind === undefined || allowsAddress(list, address)) return undefined;
  return { host: normaliseHost(host), address: normaliseHost(address), kind };
}

/** Names the host and address and says how to allow them. */
export function refusalMessage({ host, address, kind }: Refusal): string {
  const target = host === address ? address : `${host} (${address})`;
  const entries = host === address ? `"${address}"` : `"${host}" or "${address}"`;
  const article = kind === 'unspecified' ? 'an' : 'a';
  return (
    `${target} is ${article} ${kind} address, which http blocks may not reach by default; ` +
    `if this workflow should reach it, add ${entries} to HTTP_ALLOWED_HOSTS`
  );
}
