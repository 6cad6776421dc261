import type { IndicatorType } from './indicator-type';
import { normalizeIndicator } from './normalize';
import { correlates, indicatorWarnings, WARNING_LISTS } from './warnings';
import { IP_RANGE_LISTS } from './warning-lists/ip-ranges';
import { POPULAR_DOMAINS } from './warning-lists/popular-domains';
import { PUBLIC_DNS_RESOLVERS } from './warning-lists/public-dns-resolvers';
import { SPECIAL_USE_DOMAINS } from './warning-lists/special-use-domains';

/** The lists a value matches, normalized as the worker normalizes it. */
function listsOf(raw: string, type?: IndicatorType): string[] {
  const result = normalizeIndicator(raw, type);
  if (!result.ok) throw new Error(`${raw} does not normalize: ${result.rejected.message}`);
  return indicatorWarnings(result.indicator).map((warning) => warning.list);
}

/** First and last address of each range, and the addresses just outside it (none of them in another list). */
const IPV4_BOUNDARIES: Array<[string, string, string[], string[]]> = [
  ['rfc1918', '10.0.0.0/8', ['10.0.0.0', '10.255.255.255'], ['9.255.255.255', '11.0.0.0']],
  ['rfc1918', '172.16.0.0/12', ['172.16.0.0', '172.31.255.255'], ['172.15.255.255', '172.32.0.0']],
  ['rfc1918', '192.168.0.0/16', ['192.168.0.0', '192.168.255.255'], ['192.167.255.255', '192.169.0.0']],
  ['cgnat', '100.64.0.0/10', ['100.64.0.0', '100.127.255.255'], ['100.63.255.255', '100.128.0.0']],
  ['loopback', '127.0.0.0/8', ['127.0.0.0', '127.255.255.255'], ['126.255.255.255', '128.0.0.0']],
  ['link-local', '169.254.0.0/16', ['169.254.0.0', '169.254.255.255'], ['169.253.255.255', '169.255.0.0']],
  ['unspecified', '0.0.0.0/8', ['0.0.0.0', '0.255.255.255'], ['1.0.0.0']],
  ['documentation', '192.0.2.0/24', ['192.0.2.0', '192.0.2.255'], ['192.0.1.255', '192.0.3.0']],
  ['documentation', '198.51.100.0/24', ['198.51.100.0', '198.51.100.255'], ['198.51.99.255', '198.51.101.0']],
  ['documentation', '203.0.113.0/24', ['203.0.113.0', '203.0.113.255'], ['203.0.112.255', '203.0.114.0']],
  ['benchmarking', '198.18.0.0/15', ['198.18.0.0', '198.19.255.255'], ['198.17.255.255', '198.20.0.0']],
  ['multicast', '224.0.0.0/4', ['224.0.0.0', '239.255.255.255'], ['223.255.255.255']],
  ['reserved', '240.0.0.0/4', ['240.0.0.0', '255.255.255.254'], []],
  ['broadcast', '255.255.255.255/32', ['255.255.255.255'], []],
  ['reserved', '192.0.0.0/24', ['192.0.0.0', '192.0.0.255'], ['191.255.255.255', '192.0.1.0']],
  ['reserved', '192.88.99.0/24', ['192.88.99.0', '192.88.99.255'], ['192.88.98.255', '192.88.100.0']],
  ['anycast-services', '192.175.48.0/24', ['192.175.48.0', '192.175.48.255'], ['192.175.47.255', '192.175.49.0']],
  ['anycast-services', '192.31.196.0/24', ['192.31.196.0', '192.31.196.255'], ['192.31.195.255', '192.31.197.0']],
  ['anycast-services', '192.52.193.0/24', ['192.52.193.0', '192.52.193.255'], ['192.52.192.255', '192.52.194.0']],
];

const IPV6_BOUNDARIES: Array<[string, string, string[], string[]]> = [
  ['loopback', '::1/128', ['::1'], ['::2']],
  ['unspecified', '::/128', ['::'], []],
  [
    'unique-local',
    'fc00::/7',
    ['fc00::', 'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'fe00::'],
  ],
  [
    'link-local',
    'fe80::/10',
    ['fe80::', 'febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
  ],
  ['reserved', 'fec0::/10', ['fec0::', 'feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'], []],
  ['multicast', 'ff00::/8', ['ff00::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'], []],
  ['documentation', '2001:db8::/32', ['2001:db8::', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'], ['2001:db9::']],
  [
    'documentation',
    '3fff::/20',
    ['3fff::', '3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '3fff:1000::'],
  ],
  ['benchmarking', '2001:2::/48', ['2001:2::', '2001:2:0:ffff:ffff:ffff:ffff:ffff'], []],
  ['anycast-services', '2001:3::/32', ['2001:3::', '2001:3:ffff:ffff:ffff:ffff:ffff:ffff'], []],
  ['anycast-services', '2001:4:112::/48', ['2001:4:112::', '2001:4:112:ffff:ffff:ffff:ffff:ffff'], []],
  [
    'anycast-services',
    '2620:4f:8000::/48',
    ['2620:4f:8000::', '2620:4f:8000:ffff:ffff:ffff:ffff:ffff'],
    ['2620:4f:7fff:ffff:ffff:ffff:ffff:ffff', '2620:4f:8001::'],
  ],
  ['reserved', '100::/64', ['100::', '100::ffff:ffff:ffff:ffff'], []],
  ['reserved', '100:0:0:1::/64', ['100:0:0:1::', '100::1:ffff:ffff:ffff:ffff'], ['100:0:0:2::']],
  ['reserved', '64:ff9b:1::/48', ['64:ff9b:1::', '64:ff9b:1:ffff:ffff:ffff:ffff:ffff'], ['64:ff9b:2::']],
  ['reserved', '2001:10::/28 (ORCHID)', ['2001:10::', '2001:1f:ffff:ffff:ffff:ffff:ffff:ffff'], []],
  ['reserved', '2001:20::/28 (ORCHIDv2)', ['2001:20::', '2001:2f:ffff:ffff:ffff:ffff:ffff:ffff'], []],
  ['reserved', '2001:30::/28 (DRIP)', ['2001:30::', '2001:3f:ffff:ffff:ffff:ffff:ffff:ffff'], []],
  ['reserved', '2001::/23 rest', ['2001:5::1', '2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff'], ['2001:200::']],
  [
    'reserved',
    '5f00::/16 (SRv6)',
    ['5f00::', '5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['5eff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '5f01::'],
  ],
];

describe('warning lists: special-purpose IPv4 ranges', () => {
  it.each(IPV4_BOUNDARIES)(
    '%s %s: its first and last addresses match, its neighbours do not',
    (list, _range, inside, outside) => {
      for (const address of inside) expect([address, listsOf(address, 'ipv4')]).toEqual([address, [list]]);
      for (const address of outside) expect([address, listsOf(address, 'ipv4')]).toEqual([address, []]);
    },
  );

  it('leaves ordinary public addresses alone', () => {
    for (const address of ['45.33.32.156', '100.128.0.1', '172.32.1.1', '193.0.6.139', '8.8.8.9']) {
      expect([address, listsOf(address)]).toEqual([address, []]);
    }
  });
});

describe('warning lists: special-purpose IPv6 ranges', () => {
  it.each(IPV6_BOUNDARIES)(
    '%s %s: its first and last addresses match, its neighbours do not',
    (list, _range, inside, outside) => {
      for (const address of inside) expect([address, listsOf(address, 'ipv6')]).toEqual([address, [list]]);
      for (const address of outside) expect([address, listsOf(address, 'ipv6')]).toEqual([address, []]);
    },
  );

  it('does not warn of transition addresses that carry real hosts (6to4, Teredo, NAT64)', () => {
    for (const address of ['2002:c000:204::1', '2001:0:4136:e378:8000:63bf:3fff:fdd2', '64:ff9b::808:808']) {
      expect([address, listsOf(address)]).toEqual([address, []]);
    }
  });

  it('judges an IPv4-mapped address by the IPv4 address it carries', () => {
    expect(listsOf('::ffff:10.1.2.3')).toEqual(['rfc1918']);
    expect(listsOf('::ffff:192.0.2.1')).toEqual(['documentation']);
    expect(listsOf('::ffff:8.8.8.8')).toEqual(['public-dns-resolvers']);
    expect(listsOf('::ffff:127.0.0.1')).toEqual(['loopback']);
    expect(listsOf('::ffff:45.33.32.156')).toEqual([]);
    expect(listsOf('::ffff:192.168.0.0/112', 'cidr')).toEqual(['rfc1918']);
  });

  it('leaves ordinary public addresses alone', () => {
    for (const address of ['2a00:1450:4001:81b::200e', '2606:4700::6810:84e5', '2001:4860:4860::8889']) {
      expect([address, listsOf(address)]).toEqual([address, []]);
    }
  });
});

describe('warning lists: networks', () => {
  it('warns of a network wholly inside a range', () => {
    expect(listsOf('10.0.0.0/8')).toEqual(['rfc1918']);
    expect(listsOf('10.20.0.0/16')).toEqual(['rfc1918']);
    expect(listsOf('172.16.0.0/12')).toEqual(['rfc1918']);
    expect(listsOf('198.18.0.0/15')).toEqual(['benchmarking']);
    expect(listsOf('2001:db8:1::/48')).toEqual(['documentation']);
    expect(listsOf('fd12:3456::/32')).toEqual(['unique-local']);
    expect(listsOf('8.8.8.8/32')).toEqual(['public-dns-resolvers']);
  });

  it('does not warn of a network reaching outside the range', () => {
    expect(listsOf('10.0.0.0/7')).toEqual([]);
    expect(listsOf('172.0.0.0/8')).toEqual([]);
    expect(listsOf('198.18.0.0/14')).toEqual([]);
    expect(listsOf('0.0.0.0/0')).toEqual([]);
    expect(listsOf('8.8.8.0/24')).toEqual([]);
    expect(listsOf('2001:db8::/31')).toEqual([]);
  });
});

describe('warning lists: public DNS resolvers', () => {
  it('matches every published address of every operator, as an address, a URL host or a mapped address', () => {
    expect(PUBLIC_DNS_RESOLVERS.cidrs.length).toBeGreaterThanOrEqual(60);
    for (const cidr of PUBLIC_DNS_RESOLVERS.cidrs) {
      const address = cidr.slice(0, cidr.lastIndexOf('/'));
      expect([address, listsOf(address)]).toEqual([address, ['public-dns-resolvers']]);
      const host = address.includes(':') ? `[${address}]` : address;
      expect([host, listsOf(`https://${host}/dns-query`)]).toEqual([host, ['public-dns-resolvers']]);
    }
  });

  it('names the operators it covers', () => {
    const sources = PUBLIC_DNS_RESOLVERS.sources.join('\n');
    for (const operator of ['Google', 'Cloudflare', 'Quad9', 'OpenDNS', 'AdGuard', 'CleanBrowsing']) {
      expect(sources).toContain(operator);
    }
  });

  it('does not match the neighbours of resolvers', () => {
    for (const address of ['8.8.8.7', '1.1.1.4', '9.9.9.8', '208.67.222.221', '2001:4860:4860::8889', '2620:fe::fd']) {
      expect([address, listsOf(address)]).toEqual([address, []]);
    }
  });
});

describe('warning lists: domains', () => {
  it('matches a listed domain and any name under it, in domains, URLs and e-mail addresses', () => {
    expect(listsOf('google.com')).toEqual(['popular-domains']);
    expect(listsOf('www.google.com')).toEqual(['popular-domains']);
    expect(listsOf('a.b.c.windowsupdate.com')).toEqual(['popular-domains']);
    expect(listsOf('download.windowsupdate.com', 'domain')).toEqual(['popular-domains']);
    expect(listsOf('d111111abcdef8.cloudfront.net')).toEqual(['popular-domains']);
    expect(listsOf('https://GitHub.com/org/repo')).toEqual(['popular-domains']);
    expect(listsOf('hxxps://learn.microsoft[.]com/en-us/security')).toEqual(['popular-domains']);
    expect(listsOf('security@microsoft.com')).toEqual(['popular-domains']);
    expect(listsOf('www.example.com')).toEqual(['special-use-domains']);
    expect(listsOf('http://intranet.home.arpa/')).toEqual(['special-use-domains']);
    expect(listsOf('10.in-addr.arpa')).toEqual(['special-use-domains']);
    expect(listsOf('1.31.172.in-addr.arpa')).toEqual(['special-use-domains']);
    expect(listsOf('noreply@example.org')).toEqual(['special-use-domains']);
  });

  it('does not match look-alikes', () => {
    for (const value of [
      'google.com.evil-example.net',
      'notgoogle.com',
      'google.co',
      'googlecom.net',
      'www.google.com-login.net',
      'microsoft.com.phish.ru',
      'my-github.com',
      'https://google.com.evil-example.net/login',
      'ceo@notmicrosoft.com',
      'example.co.uk',
      'myexample.com',
      'evil-example.com',
    ]) {
      expect([value, listsOf(value)]).toEqual([value, []]);
    }
  });

  it('leaves free-mail addresses and user-content hosts alone', () => {
    for (const value of ['attacker@gmail.com', 'raw.githubusercontent.com', 'evil.github.io']) {
      expect([value, listsOf(value)]).toEqual([value, []]);
    }
  });

  it('leaves names outside the reserved reverse zones alone', () => {
    expect(listsOf('1.32.172.in-addr.arpa')).toEqual([]);
    expect(listsOf('8.8.8.in-addr.arpa')).toEqual([]);
  });

  it('lists each domain once, in canonical form', () => {
    for (const list of [POPULAR_DOMAINS, SPECIAL_USE_DOMAINS]) {
      expect(new Set(list.domains).size).toBe(list.domains.length);
      for (const domain of list.domains) expect(domain).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)*$/);
    }
  });
});

describe('warning lists', () => {
  it('leave hashes, CVEs and AS numbers alone', () => {
    expect(listsOf('d41d8cd98f00b204e9800998ecf8427e')).toEqual([]);
    expect(listsOf('CVE-2024-3094')).toEqual([]);
    expect(listsOf('AS15169')).toEqual([]);
  });

  it('carry a source and a date each, and distinct ids', () => {
    for (const list of [...IP_RANGE_LISTS, PUBLIC_DNS_RESOLVERS, POPULAR_DOMAINS, SPECIAL_USE_DOMAINS]) {
      expect(list.sources.length).toBeGreaterThan(0);
      expect(list.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(new Set(WARNING_LISTS).size).toBe(WARNING_LISTS.length);
  });

  it('name the list that matched', () => {
    const result = normalizeIndicator('10.0.0.1');
    if (!result.ok) throw new Error('does not normalize');
    expect(indicatorWarnings(result.indicator)).toEqual([{ list: 'rfc1918', name: 'Private-use networks (RFC 1918)' }]);
  });

  it('keep warned indicators out of correlation; old indicators without warnings correlate', () => {
    expect(correlates({ warnings: [{ list: 'rfc1918', name: '…' }] })).toBe(false);
    expect(correlates({ warnings: [] })).toBe(true);
    expect(correlates({})).toBe(true);
  });
});
