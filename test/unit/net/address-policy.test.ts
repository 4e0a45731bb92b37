import { describe, expect, it } from 'vitest';
import {
  allowEntryProblem,
  checkAddress,
  classifyAddress,
  parseAllowList,
  refusalMessage,
} from '../../../src/net/address-policy.ts';

/** The host a URL names once WHATWG parsing has normalised it, as the http block sees it. */
const hostOf = (url: string) => new URL(url).hostname;

describe('address policy: classification', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.0.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['100.127.255.255', 'shared (CGNAT)'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['169.254.169.254', 'cloud metadata'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['168.63.129.16', 'cloud metadata'],
    ['100.100.100.200', 'cloud metadata'],
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['::7f00:1', 'reserved'],
    ['fec0::1', 'reserved'],
    ['100::1', 'reserved'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.215.14',
    '172.32.0.1',
    '100.128.0.1',
    '169.255.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('%s is public', (address) => {
    expect(classifyAddress(address)).toBeUndefined();
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', 'cloud metadata'],
    ['::ffff:10.1.2.3', 'private'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'cloud metadata'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
  ])('judges the IPv4 address inside %s: %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each([
    ['http://2130706433/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://0177.0.0.1/', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['http://0/', 'unspecified'],
    ['http://[::ffff:127.0.0.1]:8080/', 'loopback'],
    ['http://[::]/', 'unspecified'],
    ['http://0xa9fea9fe/', 'cloud metadata'],
    ['http://[0:0:0:0:0:ffff:169.254.169.254]/', 'cloud metadata'],
    ['http://[::1]/', 'loopback'],
  ])('sees through the numeric spelling of %s (%s)', (url, kind) => {
    expect(classifyAddress(hostOf(url))).toBe(kind);
  });

  it('refuses what is not an IP address at all', () => {
    expect(classifyAddress('localhost')).toBe('reserved');
    expect(classifyAddress('')).toBe('reserved');
  });
});

describe('address policy: allow-list', () => {
  const list = parseAllowList([
    '127.0.0.1',
    'localhost',
    '10.0.0.0/8',
    '*.internal.example',
    'fd00::/8',
    'Api.Corp.',
    '[::1]',
  ]);

  it('permits nothing private when it is empty', () => {
    const empty = parseAllowList([]);
    expect(checkAddress(empty, 'localhost', '127.0.0.1')).toEqual({
      host: 'localhost',
      address: '127.0.0.1',
      kind: 'loopback',
    });
    expect(checkAddress(empty, '127.0.0.1', '127.0.0.1')).toMatchObject({ kind: 'loopback' });
    expect(checkAddress(empty, 'example.com', '93.184.215.14')).toBeUndefined();
  });

  it('permits a listed IP, also written as IPv4-mapped IPv6', () => {
    expect(checkAddress(list, '127.0.0.1', '127.0.0.1')).toBeUndefined();
    expect(checkAddress(list, '::ffff:7f00:1', '::ffff:7f00:1')).toBeUndefined();
    expect(checkAddress(list, '[::1]', '::1')).toBeUndefined();
    expect(checkAddress(list, '127.0.0.2', '127.0.0.2')).toMatchObject({ kind: 'loopback' });
  });

  it('permits addresses inside a listed CIDR range and nothing next to it', () => {
    expect(checkAddress(list, 'db.corp', '10.200.3.4')).toBeUndefined();
    expect(checkAddress(list, 'db.corp', 'fd12::1')).toBeUndefined();
    expect(checkAddress(list, 'db.corp', '192.168.0.1')).toMatchObject({ kind: 'private' });
    expect(checkAddress(list, 'db.corp', 'fc00::1')).toMatchObject({ kind: 'unique-local' });
    const narrow = parseAllowList(['127.0.0.2/32']);
    expect(checkAddress(narrow, '127.0.0.2', '127.0.0.2')).toBeUndefined();
    expect(checkAddress(narrow, '127.0.0.1', '127.0.0.1')).toMatchObject({ kind: 'loopback' });
  });

  it('permits a listed name wherever it resolves, case and trailing dot aside', () => {
    expect(checkAddress(list, 'localhost', '127.0.0.5')).toBeUndefined();
    expect(checkAddress(list, 'LOCALHOST.', '::1')).toBeUndefined();
    expect(checkAddress(list, 'api.corp', '192.168.9.9')).toBeUndefined();
    expect(checkAddress(list, 'other.corp', '192.168.9.9')).toMatchObject({ host: 'other.corp', kind: 'private' });
  });

  it('matches *.domain on subdomains only, not on the domain itself or look-alikes', () => {
    expect(checkAddress(list, 'a.internal.example', '192.168.0.1')).toBeUndefined();
    expect(checkAddress(list, 'a.b.internal.example', '192.168.0.1')).toBeUndefined();
    expect(checkAddress(list, 'internal.example', '192.168.0.1')).toMatchObject({ kind: 'private' });
    expect(checkAddress(list, 'evilinternal.example', '192.168.0.1')).toMatchObject({ kind: 'private' });
  });

  it('does not let a listed IP stand in for a name that resolves elsewhere', () => {
    const ipOnly = parseAllowList(['127.0.0.2']);
    expect(checkAddress(ipOnly, 'localhost', '127.0.0.1')).toEqual({
      host: 'localhost',
      address: '127.0.0.1',
      kind: 'loopback',
    });
  });

  it('opens everything with 0.0.0.0/0 and ::/0, for operators who want no guard', () => {
    const all = parseAllowList(['0.0.0.0/0', '::/0']);
    expect(checkAddress(all, '169.254.169.254', '169.254.169.254')).toBeUndefined();
    expect(checkAddress(all, 'x', 'fe80::1')).toBeUndefined();
  });

  it('explains each malformed entry', () => {
    for (const entry of [
      'localhost',
      '*.internal.example',
      '10.0.0.0/8',
      '::1',
      '[fd00::1]',
      'fd00::/8',
      'my_host.lan',
    ]) {
      expect(allowEntryProblem(entry), entry).toBeUndefined();
    }
    expect(allowEntryProblem('10.0.0.0/33')).toContain('not a CIDR range');
    expect(allowEntryProblem('10.0.0/8')).toContain('not a CIDR range');
    expect(allowEntryProblem('http://localhost')).toContain('without scheme, port or path');
    expect(allowEntryProblem('localhost:8080')).toContain('without scheme, port or path');
    expect(allowEntryProblem('*')).toContain('not a host name');
    expect(allowEntryProblem('a.*.example')).toContain('not a host name');
    expect(() => parseAllowList(['ok', 'bad host'])).toThrow(/HTTP_ALLOWED_HOSTS: "bad host"/);
  });

  it('words a refusal so the operator knows what to add', () => {
    expect(refusalMessage({ host: 'localhost', address: '127.0.0.1', kind: 'loopback' })).toBe(
      'localhost (127.0.0.1) is a loopback address, which http blocks may not reach by default; if this workflow should reach it, add "localhost" or "127.0.0.1" to HTTP_ALLOWED_HOSTS',
    );
    expect(refusalMessage({ host: '0.0.0.0', address: '0.0.0.0', kind: 'unspecified' })).toBe(
      '0.0.0.0 is an unspecified address, which http blocks may not reach by default; if this workflow should reach it, add "0.0.0.0" to HTTP_ALLOWED_HOSTS',
    );
  });
});
