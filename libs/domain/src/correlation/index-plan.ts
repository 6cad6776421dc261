import * as ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';
import { getDomain } from 'tldts';
import type { IndicatorType } from '../indicators';

/**
 * How two indicators of different incidents are related. Every kind is on by default.
 *
 * | kind           | relation                                                         | strength |
 * | -------------- | ---------------------------------------------------------------- | -------- |
 * | `exact`        | the same canonical value                                         | strong   |
 * | `file-alias`   | two hashes submitted together in one incident (one file)         | strong   |
 * | `url-host`     | a URL and its host (domain or IP address)                        | medium   |
 * | `ip-in-cidr`   | an IP address inside a reported CIDR range (v4 or v6)            | medium   |
 * | `subdomain`    | a domain and one of its subdomains (same registrable domain)     | medium   |
 * | `email-domain` | an e-mail address and its domain (or a parent of it)             | medium   |
 * | `url-domain`   | a URL and a parent domain of its host (same registrable domain)  | weak     |
 * | `cidr-overlap` | two different CIDR ranges, one inside the other                  | weak     |
 */
export const CORRELATION_KINDS = [
  'exact',
  'file-alias',
  'url-host',
  'ip-in-cidr',
  'subdomain',
  'email-domain',
  'url-domain',
  'cidr-overlap',
] as const;
export type CorrelationKind = (typeof CORRELATION_KINDS)[number];

export const CORRELATION_STRENGTHS = ['strong', 'medium', 'weak'] as const;
export type CorrelationStrength = (typeof CORRELATION_STRENGTHS)[number];

export const STRENGTH_OF_KIND: Readonly<Record<CorrelationKind, CorrelationStrength>> = {
  exact: 'strong',
  'file-alias': 'strong',
  'url-host': 'medium',
  'ip-in-cidr': 'medium',
  subdomain: 'medium',
  'email-domain': 'medium',
  'url-domain': 'weak',
  'cidr-overlap': 'weak',
};

/** Correlations stored before kinds existed read as exact. */
export function kindOf(correlation: { kind?: CorrelationKind | null }): CorrelationKind {
  return correlation.kind ?? 'exact';
}

export function strengthOf(correlation: { kind?: CorrelationKind | null }): CorrelationStrength {
  return STRENGTH_OF_KIND[kindOf(correlation)];
}

export interface IndexedIndicator {
  type: IndicatorType;
  value: string;
}

/**
 * Correlation by exact canonical value: the index key every indicator is stored and looked up
 * under. The key carries the type so that e.g. an md5 never matches an unrelated string of the same text.
 */
export function correlationKey(indicator: IndexedIndicator): string {
  return `${indicator.type}:${indicator.value}`;
}

/** The indicator an index key names (`type:value`); the type never contains ':'. */
export function indicatorOfKey(key: string): IndexedIndicator {
  const at = key.indexOf(':');
  return { type: key.slice(0, at) as IndicatorType, value: key.slice(at + 1) };
}

export type IpFamily = 4 | 6;

/**
 * Where an indicator is stored, as plain data the index executes. Set keys are logical (the index
 * adds its own prefix); `withValue` members carry the indicator's own key, because the set's key
 * alone does not name it.
 * - `set`: the incident joins set `key`;
 * - `alias`: set `key` gets `alias` (another hash of the same file), not the incident;
 * - `address`: an IP address in its family's address order (IPv4: integer score; IPv6: fixed-width hex);
 * - `network`: a CIDR: its network in the family's network order, its prefix length in the family's
 *   set of prefix lengths present, and the incident in set `c<family>:<network>/<prefix>`.
 */
export type IndexStore =
  | { op: 'set'; key: string; withValue: boolean }
  | { op: 'alias'; key: string; alias: string }
  | { op: 'address'; family: IpFamily; sort: string }
  | { op: 'network'; family: IpFamily; sort: string; prefix: number };

/**
 * What an indicator looks up, each a bounded number of Redis reads whatever the index size:
 * - `set`: the members of one set;
 * - `alias`: the aliases in set `key`, then the incidents of each alias's exact key;
 * - `within`: the CIDRs containing an address: one set per prefix length present (≤ `maxPrefix`);
 * - `range`: the addresses or networks inside [`lo`, `hi`] of the family's order, capped.
 */
export type IndexProbe =
  | { op: 'set'; key: string }
  | { op: 'alias'; key: string }
  | { op: 'within'; family: IpFamily; sort: string; maxPrefix: number }
  | { op: 'range'; family: IpFamily; of: 'address' | 'network'; lo: string; hi: string };

export interface IndexPlan {
  stores: IndexStore[];
  probes: IndexProbe[];
}

const HASH_TYPES: ReadonlySet<IndicatorType> = new Set(['md5', 'sha1', 'sha256', 'sha512']);

export function isHashType(type: IndicatorType): boolean {
  return HASH_TYPES.has(type);
}

// ---------------------------------------------------------------- addresses

/** An IPv4 address as the decimal integer the index sorts it by. */
export function ipv4Sort(address: string): string {
  const [a, b, c, d] = ipaddr.IPv4.parse(address).octets;
  return String(((a * 256 + b) * 256 + c) * 256 + d);
}

/** An IPv6 address as 32 lower-case hex digits (fixed width, so text order is address order). */
export function ipv6Sort(address: string): string {
  return ipaddr.IPv6.parse(address)
    .parts.map((part) => part.toString(16).padStart(4, '0'))
    .join('');
}

/** The network of a sort value at one prefix length, as the index computes it (see the Lua script). */
export function networkSort(family: IpFamily, sort: string, prefix: number): string {
  if (family === 4) {
    const size = 2 ** (32 - prefix);
    return String(Math.floor(Number(sort) / size) * size);
  }
  const full = Math.floor(prefix / 4);
  const rest = prefix % 4;
  let out = sort.slice(0, full);
  if (rest > 0) {
    const digit = parseInt(sort[full], 16);
    const step = 2 ** (4 - rest);
    out += (digit - (digit % step)).toString(16);
  }
  return out.padEnd(32, '0');
}

/** The last sort value of a network (all host bits set). */
export function broadcastSort(family: IpFamily, network: string, prefix: number): string {
  if (family === 4) return String(Number(network) + 2 ** (32 - prefix) - 1);
  const full = Math.floor(prefix / 4);
  const rest = prefix % 4;
  let out = network.slice(0, full);
  if (rest > 0) out += (parseInt(network[full], 16) + 2 ** (4 - rest) - 1).toString(16);
  return out.padEnd(32, 'f');
}

interface ParsedCidr {
  family: IpFamily;
  network: string;
  prefix: number;
}

function parseCidr(value: string): ParsedCidr | undefined {
  const slash = value.lastIndexOf('/');
  if (slash <= 0) return undefined;
  const address = value.slice(0, slash);
  const prefix = Number(value.slice(slash + 1));
  const family = isIP(address);
  if (family === 4 && prefix >= 0 && prefix <= 32)
    return { family, prefix, network: networkSort(4, ipv4Sort(address), prefix) };
  if (family === 6 && prefix >= 0 && prefix <= 128)
    return { family, prefix, network: networkSort(6, ipv6Sort(address), prefix) };
  return undefined;
}

function parseAddress(type: IndicatorType, value: string): { family: IpFamily; sort: string } | undefined {
  if (type === 'ipv4' && isIP(value) === 4) return { family: 4, sort: ipv4Sort(value) };
  if (type === 'ipv6' && isIP(value) === 6) return { family: 6, sort: ipv6Sort(value) };
  return undefined;
}

function contains(outer: ParsedCidr, family: IpFamily, sort: string, prefix: number): boolean {
  return outer.family === family && outer.prefix <= prefix && networkSort(family, sort, outer.prefix) === outer.network;
}

// ---------------------------------------------------------------- names

/**
 * The registrable domain of a host, public-suffix aware including the private section of the
 * Public Suffix List: `a.github.io` and `b.github.io` are two registrable domains, never related.
 */
export function registrableDomain(host: string): string | undefined {
  return getDomain(host, { allowPrivateDomains: true }) ?? undefined;
}

/** The parents of a domain down to its registrable domain (nearest first); none across a public suffix. */
export function parentDomains(domain: string): string[] {
  const registrable = registrableDomain(domain);
  if (!registrable || registrable === domain || !domain.endsWith(`.${registrable}`)) return [];
  const parents: string[] = [];
  let current = domain;
  while (current !== registrable) {
    current = current.slice(current.indexOf('.') + 1);
    parents.push(current);
  }
  return parents;
}

/** The domain itself and its parents down to its registrable domain. */
function selfAndParents(domain: string): string[] {
  return registrableDomain(domain) ? [domain, ...parentDomains(domain)] : [domain];
}

/** `descendant` is `ancestor` or below it, within one registrable domain. */
function isWithin(descendant: string, ancestor: string): boolean {
  return descendant === ancestor || parentDomains(descendant).includes(ancestor);
}

/** The host of a canonical URL as the indicator it would be: a domain or an IP address. */
export function hostIndicatorOf(url: string): IndexedIndicator | undefined {
  const authority = url.slice(url.indexOf('://') + 3);
  if (authority.startsWith('[')) {
    const host = authority.slice(1, authority.indexOf(']'));
    return isIP(host) === 6 ? { type: 'ipv6', value: host } : undefined;
  }
  const end = authority.search(/[:/?#]/);
  const host = end < 0 ? authority : authority.slice(0, end);
  if (host === '') return undefined;
  if (isIP(host) === 4) return { type: 'ipv4', value: host };
  return { type: 'domain', value: host };
}

function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

// ---------------------------------------------------------------- the plan

/** Logical set keys of the derived relations (the exact key is `correlationKey`). */
export const derivedKey = {
  /** Domains below `domain` (and in its registrable domain). */
  subdomainsOf: (domain: string) => `dsub:${domain}`,
  /** URLs whose host is `host` or below it. */
  urlsAt: (host: string) => `uh:${host}`,
  /** E-mail addresses at `domain` or below it. */
  emailsAt: (domain: string) => `em:${domain}`,
  /** Other hashes reported together with this one. */
  aliasesOf: (key: string) => `hal:${key}`,
  network: (family: IpFamily, network: string, prefix: number) => `c${family}:${network}/${prefix}`,
};

/**
 * Which keys one indicator is stored under and which it looks up, so that every kind of
 * correlation is found from whichever side arrives second. `incident` is every indicator of the
 * same incident (hashes reported together are aliases of one file).
 */
export function indexPlan(indicator: IndexedIndicator, incident: readonly IndexedIndicator[] = []): IndexPlan {
  const exact = correlationKey(indicator);
  const stores: IndexStore[] = [{ op: 'set', key: exact, withValue: false }];
  const probes: IndexProbe[] = [{ op: 'set', key: exact }];
  const { type, value } = indicator;
  switch (type) {
    case 'ipv4':
    case 'ipv6': {
      const address = parseAddress(type, value);
      if (!address) break;
      const maxPrefix = address.family === 4 ? 32 : 128;
      stores.push({ op: 'address', ...address });
      probes.push({ op: 'within', ...address, maxPrefix }, { op: 'set', key: derivedKey.urlsAt(value) });
      break;
    }
    case 'cidr': {
      const cidr = parseCidr(value);
      if (!cidr) break;
      const { family, network, prefix } = cidr;
      const hi = broadcastSort(family, network, prefix);
      stores.push({ op: 'network', family, sort: network, prefix });
      if (prefix > 0) probes.push({ op: 'within', family, sort: network, maxPrefix: prefix - 1 });
      probes.push(
        { op: 'range', family, of: 'address', lo: network, hi },
        { op: 'range', family, of: 'network', lo: network, hi },
      );
      break;
    }
    case 'domain': {
      for (const parent of parentDomains(value)) {
        stores.push({ op: 'set', key: derivedKey.subdomainsOf(parent), withValue: true });
        probes.push({ op: 'set', key: correlationKey({ type: 'domain', value: parent }) });
      }
      probes.push(
        { op: 'set', key: derivedKey.subdomainsOf(value) },
        { op: 'set', key: derivedKey.urlsAt(value) },
        { op: 'set', key: derivedKey.emailsAt(value) },
      );
      break;
    }
    case 'url': {
      const host = hostIndicatorOf(value);
      if (!host) break;
      const hosts = host.type === 'domain' ? selfAndParents(host.value) : [host.value];
      for (const name of hosts) {
        stores.push({ op: 'set', key: derivedKey.urlsAt(name), withValue: true });
        probes.push({ op: 'set', key: correlationKey({ type: host.type, value: name }) });
      }
      break;
    }
    case 'email': {
      for (const name of selfAndParents(emailDomain(value))) {
        stores.push({ op: 'set', key: derivedKey.emailsAt(name), withValue: true });
        probes.push({ op: 'set', key: correlationKey({ type: 'domain', value: name }) });
      }
      break;
    }
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512': {
      const aliases = new Set(
        incident.filter((other) => isHashType(other.type) && correlationKey(other) !== exact).map(correlationKey),
      );
      for (const alias of [...aliases].sort()) stores.push({ op: 'alias', key: derivedKey.aliasesOf(exact), alias });
      probes.push({ op: 'alias', key: derivedKey.aliasesOf(exact) });
      break;
    }
    case 'cve':
    case 'asn':
      break;
  }
  return { stores, probes };
}

/**
 * The kind of correlation between an indicator and one found through its probes, checked from the
 * values themselves (an index candidate that does not relate is dropped); `viaAlias` when it was
 * found through a hash alias. Undefined when the two do not correlate.
 */
export function relationBetween(
  own: IndexedIndicator,
  other: IndexedIndicator,
  viaAlias = false,
): CorrelationKind | undefined {
  if (own.type === other.type && own.value === other.value) return 'exact';
  if (viaAlias) return isHashType(own.type) && isHashType(other.type) ? 'file-alias' : undefined;
  const pair = (a: IndicatorType, b: IndicatorType) =>
    (own.type === a && other.type === b) || (own.type === b && other.type === a);
  const of = (t: IndicatorType) => (own.type === t ? own : other);
  if (pair('cidr', 'ipv4') || pair('cidr', 'ipv6')) {
    const cidr = parseCidr(of('cidr').value);
    const ip = own.type === 'cidr' ? other : own;
    const address = parseAddress(ip.type, ip.value);
    if (!cidr || !address) return undefined;
    return contains(cidr, address.family, address.sort, address.family === 4 ? 32 : 128) ? 'ip-in-cidr' : undefined;
  }
  if (own.type === 'cidr' && other.type === 'cidr') {
    const a = parseCidr(own.value);
    const b = parseCidr(other.value);
    if (!a || !b || a.family !== b.family) return undefined;
    const overlap = contains(a, b.family, b.network, b.prefix) || contains(b, a.family, a.network, a.prefix);
    return overlap ? 'cidr-overlap' : undefined;
  }
  if (own.type === 'domain' && other.type === 'domain') {
    return isWithin(own.value, other.value) || isWithin(other.value, own.value) ? 'subdomain' : undefined;
  }
  if (pair('url', 'domain') || pair('url', 'ipv4') || pair('url', 'ipv6')) {
    const url = of('url');
    const host = own.type === 'url' ? other : own;
    const urlHostIndicator = hostIndicatorOf(url.value);
    if (!urlHostIndicator || urlHostIndicator.type !== host.type) return undefined;
    if (urlHostIndicator.value === host.value) return 'url-host';
    return host.type === 'domain' && isWithin(urlHostIndicator.value, host.value) ? 'url-domain' : undefined;
  }
  if (pair('email', 'domain')) {
    return isWithin(emailDomain(of('email').value), of('domain').value) ? 'email-domain' : undefined;
  }
  return undefined;
}

/** One incident's indicators with their plans, in the shape the index takes. */
export function planIncident(indicators: readonly IndexedIndicator[]): Array<{ key: string; plan: IndexPlan }> {
  return indicators.map((indicator) => ({ key: correlationKey(indicator), plan: indexPlan(indicator, indicators) }));
}
