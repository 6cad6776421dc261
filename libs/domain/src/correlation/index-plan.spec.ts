import { correlationPairKey, correlationsFound, indicatorsOf } from './correlation';
import {
  STRENGTH_OF_KIND,
  broadcastSort,
  correlationKey,
  indexPlan,
  ipv4Sort,
  ipv6Sort,
  kindOf,
  networkSort,
  parentDomains,
  registrableDomain,
  relationBetween,
  strengthOf,
  hostIndicatorOf,
  type IndexPlan,
  type IndexedIndicator,
} from './index-plan';
import { normalizeIndicator } from '../indicators';

const ind = (raw: string): IndexedIndicator => {
  const result = normalizeIndicator(raw);
  if (!result.ok) throw new Error(`${raw}: ${result.rejected.message}`);
  return { type: result.indicator.type, value: result.indicator.value };
};
const setKeys = (plan: IndexPlan, side: 'stores' | 'probes') =>
  plan[side].flatMap((op) => (op.op === 'set' ? [op.key] : []));

/**
 * A small model of the index: what `a` stores and `b` probes meet, checked both ways round. This
 * exercises the plan exactly as the Redis script executes it (sets, prefix-length sets, ranges).
 */
function meets(a: IndexedIndicator, b: IndexedIndicator): boolean {
  const stored = indexPlan(a, [a]).stores;
  const sets = new Set(stored.flatMap((s) => (s.op === 'set' ? [s.key] : [])));
  for (const probe of indexPlan(b, [b]).probes) {
    switch (probe.op) {
      case 'set':
        if (sets.has(probe.key)) return true;
        break;
      case 'alias':
        // Aliases come from a third incident that reported both hashes: see the hash tests.
        break;
      case 'within':
        for (const s of stored) {
          if (s.op !== 'network' || s.family !== probe.family || s.prefix > probe.maxPrefix) continue;
          if (networkSort(s.family, probe.sort, s.prefix) === s.sort) return true;
        }
        break;
      case 'range':
        for (const s of stored) {
          const kind = s.op === 'address' ? 'address' : s.op === 'network' ? 'network' : undefined;
          if (kind !== probe.of || (s.op !== 'address' && s.op !== 'network') || s.family !== probe.family) continue;
          const cmp = (x: string, y: string) =>
            probe.family === 4 ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0;
          if (cmp(s.sort, probe.lo) >= 0 && cmp(s.sort, probe.hi) <= 0) return true;
        }
        break;
    }
  }
  return false;
}

/** The index finds the pair from either side, and the values relate with `kind`. */
function expectCorrelated(a: string, b: string, kind: string) {
  const x = ind(a);
  const y = ind(b);
  expect({ pair: [a, b], found: meets(x, y) }).toEqual({ pair: [a, b], found: true });
  expect({ pair: [b, a], found: meets(y, x) }).toEqual({ pair: [b, a], found: true });
  expect(relationBetween(x, y)).toBe(kind);
  expect(relationBetween(y, x)).toBe(kind);
}

function expectUnrelated(a: string, b: string) {
  const x = ind(a);
  const y = ind(b);
  const kind = relationBetween(x, y);
  // Either the index never meets them, or the value check drops the candidate.
  expect({ pair: [a, b], kind }).toEqual({ pair: [a, b], kind: undefined });
  expect(relationBetween(y, x)).toBeUndefined();
}

describe('index plan: exact', () => {
  it('stores and looks up the exact key of every type', () => {
    for (const raw of [
      '203.0.113.7',
      '2001:db8::1',
      'evil.example.com',
      'CVE-2024-3094',
      'AS64500',
      'a@b.example.org',
    ]) {
      const x = ind(raw);
      const plan = indexPlan(x, [x]);
      expect(setKeys(plan, 'stores')).toContain(correlationKey(x));
      expect(setKeys(plan, 'probes')).toContain(correlationKey(x));
      expect(relationBetween(x, x)).toBe('exact');
    }
  });

  it('the exact store carries no value (the key names it); derived stores do', () => {
    const plan = indexPlan(ind('a.evil.example.com'));
    expect(plan.stores[0]).toEqual({ op: 'set', key: 'domain:a.evil.example.com', withValue: false });
    expect(plan.stores.slice(1).every((s) => s.op === 'set' && s.withValue)).toBe(true);
  });
});

describe('index plan: addresses and ranges', () => {
  it('sorts IPv4 as integers and IPv6 as 32 hex digits', () => {
    expect(ipv4Sort('0.0.0.0')).toBe('0');
    expect(ipv4Sort('255.255.255.255')).toBe('4294967295');
    expect(ipv4Sort('10.0.0.1')).toBe('167772161');
    expect(ipv6Sort('2001:db8::1')).toBe('20010db8000000000000000000000001');
    expect(ipv6Sort('::ffff:192.0.2.1')).toBe('00000000000000000000ffffc0000201');
  });

  it('computes networks and broadcasts at every prefix length, v4 and v6', () => {
    const v4 = ipv4Sort('203.0.113.77');
    expect(networkSort(4, v4, 32)).toBe(v4);
    expect(networkSort(4, v4, 24)).toBe(ipv4Sort('203.0.113.0'));
    expect(networkSort(4, v4, 0)).toBe('0');
    expect(broadcastSort(4, ipv4Sort('203.0.113.0'), 24)).toBe(ipv4Sort('203.0.113.255'));
    expect(broadcastSort(4, '0', 0)).toBe('4294967295');
    const v6 = ipv6Sort('2001:db8:abcd:12ff::1');
    expect(networkSort(6, v6, 128)).toBe(v6);
    expect(networkSort(6, v6, 0)).toBe('0'.repeat(32));
    expect(networkSort(6, v6, 35)).toBe(ipv6Sort('2001:db8:a000::'));
    expect(networkSort(6, v6, 57)).toBe(ipv6Sort('2001:db8:abcd:1280::'));
    expect(broadcastSort(6, ipv6Sort('2001:db8::'), 32)).toBe(ipv6Sort('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'));
    expect(broadcastSort(6, ipv6Sort('2001:db8:a000::'), 35)).toBe(ipv6Sort('2001:db8:bfff:ffff:ffff:ffff:ffff:ffff'));
  });

  it('network arithmetic agrees with containment for every prefix length', () => {
    const address = ipv4Sort('198.51.100.200');
    for (let prefix = 0; prefix <= 32; prefix++) {
      const network = networkSort(4, address, prefix);
      expect(Number(network)).toBeLessThanOrEqual(Number(address));
      expect(Number(broadcastSort(4, network, prefix))).toBeGreaterThanOrEqual(Number(address));
    }
    const address6 = ipv6Sort('2001:db8:1234:5678:9abc:def0:1357:9bdf');
    for (let prefix = 0; prefix <= 128; prefix++) {
      const network = networkSort(6, address6, prefix);
      expect(network <= address6 && broadcastSort(6, network, prefix) >= address6).toBe(true);
      expect(network).toHaveLength(32);
    }
  });

  it('an IP inside a CIDR, either way round, v4 and v6, at the edges', () => {
    expectCorrelated('10.1.2.3', '10.1.0.0/16', 'ip-in-cidr');
    expectCorrelated('10.1.0.0', '10.1.0.0/16', 'ip-in-cidr');
    expectCorrelated('10.1.255.255', '10.1.0.0/16', 'ip-in-cidr');
    expectCorrelated('203.0.113.9', '203.0.113.9/32', 'ip-in-cidr');
    expectCorrelated('8.8.8.8', '0.0.0.0/0', 'ip-in-cidr');
    expectCorrelated('2001:db8::1', '2001:db8::/32', 'ip-in-cidr');
    expectCorrelated('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', '2001:db8::/32', 'ip-in-cidr');
    expectCorrelated('2001:db8::5', '2001:db8::5/128', 'ip-in-cidr');
    expectCorrelated('2001:db8:bfff::1', '2001:db8:a000::/35', 'ip-in-cidr');
    expectUnrelated('10.2.0.0', '10.1.0.0/16');
    expectUnrelated('10.0.255.255', '10.1.0.0/16');
    expectUnrelated('2001:db9::', '2001:db8::/32');
    expectUnrelated('2001:db8:c000::', '2001:db8:a000::/35');
  });

  it('never relates an IPv4 address to an IPv6 range or the reverse', () => {
    expectUnrelated('10.0.0.1', '::/0');
    expectUnrelated('::a00:1', '10.0.0.0/8');
    expect(meets(ind('10.0.0.1'), ind('::/0'))).toBe(false);
  });

  it('overlapping CIDRs, one inside the other, either way round', () => {
    expectCorrelated('10.0.0.0/8', '10.20.0.0/16', 'cidr-overlap');
    expectCorrelated('10.20.30.0/24', '10.20.0.0/16', 'cidr-overlap');
    expectCorrelated('0.0.0.0/0', '192.0.2.0/24', 'cidr-overlap');
    expectCorrelated('2001:db8::/32', '2001:db8:1::/48', 'cidr-overlap');
    expectUnrelated('10.0.0.0/16', '10.1.0.0/16');
    expectUnrelated('2001:db8::/48', '2001:db8:1::/48');
    expect(relationBetween(ind('10.0.0.0/16'), ind('10.0.0.0/16'))).toBe('exact');
  });

  it('a CIDR looks up the prefix lengths shorter than its own only (the same range is exact)', () => {
    const plan = indexPlan(ind('10.0.0.0/16'));
    expect(plan.probes).toContainEqual({ op: 'within', family: 4, sort: ipv4Sort('10.0.0.0'), maxPrefix: 15 });
    expect(indexPlan(ind('0.0.0.0/0')).probes.some((p) => p.op === 'within')).toBe(false);
  });
});

describe('index plan: names', () => {
  it('knows registrable domains, private suffixes included', () => {
    expect(registrableDomain('a.b.example.co.uk')).toBe('example.co.uk');
    expect(registrableDomain('x.a.github.io')).toBe('a.github.io');
    expect(parentDomains('a.b.example.co.uk')).toEqual(['b.example.co.uk', 'example.co.uk']);
    expect(parentDomains('example.co.uk')).toEqual([]);
    expect(parentDomains('x.a.github.io')).toEqual(['a.github.io']);
    expect(parentDomains('a.github.io')).toEqual([]);
  });

  it('looks up one key per parent label', () => {
    const plan = indexPlan(ind('a.b.c.example.com'));
    expect(setKeys(plan, 'probes')).toEqual(
      expect.arrayContaining(['domain:b.c.example.com', 'domain:c.example.com', 'domain:example.com']),
    );
    expect(setKeys(plan, 'probes')).not.toContain('domain:com');
  });

  it('a domain and its subdomains, either way round', () => {
    expectCorrelated('login.evil.example.com', 'evil.example.com', 'subdomain');
    expectCorrelated('a.b.example.co.uk', 'example.co.uk', 'subdomain');
    expectCorrelated('x.a.github.io', 'a.github.io', 'subdomain');
  });

  it('never across a public suffix, nor between siblings', () => {
    expectUnrelated('a.github.io', 'b.github.io');
    expect(meets(ind('a.github.io'), ind('b.github.io'))).toBe(false);
    expectUnrelated('example.co.uk', 'other.co.uk');
    expect(meets(ind('example.co.uk'), ind('other.co.uk'))).toBe(false);
    expectUnrelated('a.example.com', 'b.example.com');
    expectUnrelated('example.com', 'example.org');
  });

  it('internationalized names correlate in punycode', () => {
    expectCorrelated('بنك.example.com', 'example.com', 'subdomain');
    expect(ind('بنك.example.com').value.startsWith('xn--')).toBe(true);
    expectCorrelated('mail.münchen.de', 'münchen.de', 'subdomain');
    expectUnrelated('münchen.de', 'munchen.de');
  });

  it('a URL and its host, and a parent domain of its host', () => {
    expect(hostIndicatorOf('https://evil.example.com:8443/x?y')).toEqual({ type: 'domain', value: 'evil.example.com' });
    expect(hostIndicatorOf('http://203.0.113.5/a')).toEqual({ type: 'ipv4', value: '203.0.113.5' });
    expect(hostIndicatorOf('http://[2001:db8::1]:8080/a')).toEqual({ type: 'ipv6', value: '2001:db8::1' });
    expectCorrelated('https://evil.example.com/login', 'evil.example.com', 'url-host');
    expectCorrelated('https://cdn.evil.example.com/login', 'evil.example.com', 'url-domain');
    expectCorrelated('http://203.0.113.5/payload', '203.0.113.5', 'url-host');
    expectCorrelated('http://[2001:db8::1]/payload', '2001:db8::1', 'url-host');
    expectUnrelated('https://a.github.io/x', 'b.github.io');
    expectUnrelated('https://example.com/x', 'sub.example.com');
  });

  it('an e-mail address and its domain (or a parent of it)', () => {
    expectCorrelated('ceo@evil.example.com', 'evil.example.com', 'email-domain');
    expectCorrelated('ceo@mail.evil.example.com', 'evil.example.com', 'email-domain');
    expectUnrelated('ceo@evil.example.com', 'mail.evil.example.com');
    expectUnrelated('a@x.github.io', 'y.github.io');
  });
});

describe('index plan: hashes of one file', () => {
  const md5 = ind('d41d8cd98f00b204e9800998ecf8427e');
  const sha256 = ind('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');

  it('stores each hash as an alias of the others reported with it, and looks its aliases up', () => {
    const plan = indexPlan(md5, [md5, sha256, ind('203.0.113.1')]);
    expect(plan.stores).toContainEqual({
      op: 'alias',
      key: `hal:${correlationKey(md5)}`,
      alias: correlationKey(sha256),
    });
    expect(plan.stores.filter((s) => s.op === 'alias')).toHaveLength(1);
    expect(plan.probes).toContainEqual({ op: 'alias', key: `hal:${correlationKey(md5)}` });
    expect(indexPlan(md5, [md5]).stores.some((s) => s.op === 'alias')).toBe(false);
  });

  it('two different hashes relate only through an alias', () => {
    expect(relationBetween(md5, sha256)).toBeUndefined();
    expect(relationBetween(md5, sha256, true)).toBe('file-alias');
    expect(relationBetween(md5, ind('203.0.113.1'), true)).toBeUndefined();
  });
});

describe('kinds and strengths', () => {
  it('correlations without a kind read as exact and strong', () => {
    expect(kindOf({})).toBe('exact');
    expect(strengthOf({})).toBe('strong');
    expect(strengthOf({ kind: 'cidr-overlap' })).toBe('weak');
    expect(STRENGTH_OF_KIND['ip-in-cidr']).toBe('medium');
  });

  it('pair keys name the kind and both values whichever side found the match', () => {
    const ip = ind('10.0.0.1');
    const cidr = ind('10.0.0.0/8');
    expect(correlationPairKey('ip-in-cidr', ip, cidr)).toBe(correlationPairKey('ip-in-cidr', cidr, ip));
    expect(correlationPairKey('exact', ip, ip)).toBe('ipv4:10.0.0.1');
    const correlation = {
      type: ip.type,
      value: ip.value,
      matched: cidr,
      found: { incidentId: 'i1', orgId: 'o1' },
    };
    expect(indicatorsOf(correlation, 'i1')).toEqual({ own: ip, other: cidr });
    expect(indicatorsOf(correlation, 'i2')).toEqual({ own: cidr, other: ip });
  });
});

describe('correlations found', () => {
  const own = { incidentId: 'new', orgId: 'o-new' };
  const md5 = { type: 'md5' as const, value: 'd41d8cd98f00b204e9800998ecf8427e' };
  const sha256 = { type: 'sha256' as const, value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' };

  it('keeps related values of other organizations once per pair, and drops candidates that do not relate', () => {
    const ip = { type: 'ipv4' as const, value: '10.0.0.1' };
    const found = correlationsFound(
      own,
      [ip],
      [
        [
          {
            probe: { op: 'within', family: 4, sort: ipv4Sort('10.0.0.1'), maxPrefix: 32 },
            entries: [
              { incidentId: 'x', orgId: 'o-x', key: 'cidr:10.0.0.0/8' },
              { incidentId: 'x', orgId: 'o-x', key: 'cidr:10.0.0.0/8' },
              { incidentId: 'y', orgId: 'o-y', key: 'cidr:11.0.0.0/8' },
              { incidentId: 'z', orgId: 'o-new', key: 'cidr:10.0.0.0/16' },
            ],
          },
        ],
      ],
      new Date(0),
    );
    expect(found.map((c) => [c.earlier.incidentId, c.kind, c.matched?.value])).toEqual([
      ['x', 'ip-in-cidr', '10.0.0.0/8'],
    ]);
  });

  it('an alias match with an incident already matched exactly on the same hash is left out', () => {
    const found = correlationsFound(
      own,
      [md5],
      [
        [
          {
            probe: { op: 'set', key: correlationKey(md5) },
            entries: [{ incidentId: 'a', orgId: 'o-a', key: correlationKey(md5) }],
          },
          {
            probe: { op: 'alias', key: `hal:${correlationKey(md5)}` },
            entries: [
              { incidentId: 'a', orgId: 'o-a', key: correlationKey(sha256) },
              { incidentId: 'b', orgId: 'o-b', key: correlationKey(sha256) },
            ],
          },
        ],
      ],
      new Date(0),
    );
    expect(found.map((c) => [c.earlier.incidentId, c.kind ?? 'exact'])).toEqual([
      ['a', 'exact'],
      ['b', 'file-alias'],
    ]);
  });
});
