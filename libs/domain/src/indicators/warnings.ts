import { isIP } from 'node:net';
import * as ipaddr from 'ipaddr.js';
import type { NormalizedIndicator } from './normalize';
import { urlHost } from './enrich';
import { IP_RANGE_LISTS } from './warning-lists/ip-ranges';
import { POPULAR_DOMAINS } from './warning-lists/popular-domains';
import { PUBLIC_DNS_RESOLVERS } from './warning-lists/public-dns-resolvers';
import { SPECIAL_USE_DOMAINS } from './warning-lists/special-use-domains';
import type { DomainWarningList, IpWarningList } from './warning-lists/warning-list';

export { WARNING_LISTS } from './warning-lists';

/** A warning list an indicator matched: its stable id and a human-readable name. */
export interface IndicatorWarning {
  list: string;
  name: string;
}

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Block = [Address, number];

/** ipaddr.js keeps its classification in `SpecialRanges`, one range or several per name. */
function ipaddrRangesOf(kind: 'ipv4' | 'ipv6', name: string): Block[] {
  const proto = (kind === 'ipv4' ? ipaddr.IPv4.prototype : ipaddr.IPv6.prototype) as unknown as {
    SpecialRanges: Record<string, Block | Block[]>;
  };
  const entry = proto.SpecialRanges[name];
  if (entry === undefined) throw new Error(`ipaddr.js has no ${kind} range named '${name}'`);
  return Array.isArray(entry[0]) ? (entry as Block[]) : [entry as Block];
}

interface CompiledIpList {
  warning: IndicatorWarning;
  blocks: Block[];
  ipaddrNames: { ipv4: ReadonlySet<string>; ipv6: ReadonlySet<string> };
}

function compileIpList(list: IpWarningList): CompiledIpList {
  // Each ipaddr.js name is checked to exist at load, so a renamed range fails loudly, not silently.
  for (const kind of ['ipv4', 'ipv6'] as const) for (const name of list.ipaddrRanges[kind]) ipaddrRangesOf(kind, name);
  return {
    warning: { list: list.list, name: list.name },
    blocks: list.cidrs.map((cidr) => ipaddr.parseCIDR(cidr)),
    ipaddrNames: { ipv4: new Set(list.ipaddrRanges.ipv4), ipv6: new Set(list.ipaddrRanges.ipv6) },
  };
}

const RANGE_LISTS = IP_RANGE_LISTS.map(compileIpList);
const RESOLVERS = compileIpList(PUBLIC_DNS_RESOLVERS);

/** `inner` (a network) lies wholly inside `outer`. */
function within([address, bits]: Block, [outerAddress, outerBits]: Block): boolean {
  return address.kind() === outerAddress.kind() && bits >= outerBits && address.match(outerAddress, outerBits);
}

/** An IPv4-mapped IPv6 address or network (`::ffff:0:0/96`) is judged as the IPv4 one it carries. */
function unmapped([address, bits]: Block): Block {
  if (address.kind() === 'ipv6' && bits >= 96 && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
  }
  return [address, bits];
}

/**
 * The special-purpose range a network (an address is a /32 or /128) lies in: a range written in the
 * lists first, else the range ipaddr.js names for its first address, when the whole network is in it.
 */
function rangeWarning(block: Block): IndicatorWarning | undefined {
  for (const list of RANGE_LISTS) if (list.blocks.some((outer) => within(block, outer))) return list.warning;
  const [address] = block;
  const kind = address.kind();
  const name = address.range();
  const list = RANGE_LISTS.find((candidate) => candidate.ipaddrNames[kind].has(name));
  if (list === undefined) return undefined;
  return ipaddrRangesOf(kind, name).some((outer) => within(block, outer)) ? list.warning : undefined;
}

function blockWarnings(parsed: Block): IndicatorWarning[] {
  const block = unmapped(parsed);
  const warnings: IndicatorWarning[] = [];
  const range = rangeWarning(block);
  if (range) warnings.push(range);
  if (RESOLVERS.blocks.some((outer) => within(block, outer))) warnings.push(RESOLVERS.warning);
  return warnings;
}

function addressWarnings(address: string): IndicatorWarning[] {
  const parsed = ipaddr.parse(address);
  return blockWarnings([parsed, parsed.kind() === 'ipv4' ? 32 : 128]);
}

/** `name` is a listed domain or under one, label by label: `a.google.com` is, `notgoogle.com` is not. */
function domainListed(name: string, list: DomainWarningList): boolean {
  return list.domains.some((domain) => name === domain || name.endsWith(`.${domain}`));
}

function nameWarnings(name: string): IndicatorWarning[] {
  const warnings: IndicatorWarning[] = [];
  for (const list of [SPECIAL_USE_DOMAINS, POPULAR_DOMAINS]) {
    if (domainListed(name, list)) warnings.push({ list: list.list, name: list.name });
  }
  return warnings;
}

/**
 * The warning lists a normalized indicator matches: addresses and networks by range (an IPv4-mapped
 * IPv6 one by the IPv4 address it carries), domains by name or parent name, URLs by host, e-mail
 * addresses by domain. Hashes, CVEs and AS numbers match none.
 */
export function indicatorWarnings(indicator: NormalizedIndicator): IndicatorWarning[] {
  try {
    switch (indicator.type) {
      case 'ipv4':
      case 'ipv6':
        return addressWarnings(indicator.value);
      case 'cidr':
        return blockWarnings(ipaddr.parseCIDR(indicator.value));
      case 'domain':
        return nameWarnings(indicator.value);
      case 'email':
        return nameWarnings(indicator.value.slice(indicator.value.lastIndexOf('@') + 1));
      case 'url': {
        const host = urlHost(indicator.value);
        return isIP(host) ? addressWarnings(host) : nameWarnings(host);
      }
      case 'md5':
      case 'sha1':
      case 'sha256':
      case 'sha512':
      case 'cve':
      case 'asn':
        return [];
    }
  } catch {
    // Hand-built indicators may carry a value the parsers refuse.
    return [];
  }
}

/** Warned indicators are kept and shown, but neither indexed nor looked up for correlation. */
export function correlates(indicator: { warnings?: readonly IndicatorWarning[] }): boolean {
  return (indicator.warnings ?? []).length === 0;
}
