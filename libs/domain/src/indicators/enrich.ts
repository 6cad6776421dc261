import { isIP } from 'node:net';
import * as ipaddr from 'ipaddr.js';
import { getDomain, getPublicSuffix } from 'tldts';
import { NormalizedIndicator } from './normalize';

/** Facts derived locally from an indicator's value, without any network access. */
export interface IndicatorEnrichment {
  /** ipaddr.js range name of the address (for a CIDR: of its network address), e.g. 'private', 'unicast'. */
  ipRange?: string;
  /** Registrable domain per the ICANN section of the Public Suffix List, e.g. 'example.co.uk'. */
  registrableDomain?: string;
  /** Public suffix, e.g. 'co.uk'. */
  publicSuffix?: string;
  /** URL host (IPv6 without brackets). */
  host?: string;
  /**
   * Country of the address (for a CIDR: its network address; for a URL: its host when an address),
   * ISO 3166-1 alpha-2, from the offline country data set the worker ships (see README, Enrichment).
   */
  country?: string;
  /** Autonomous system announcing the address, e.g. 15169, from the offline ASN data set. */
  asn?: number;
  /** That autonomous system's organization name, as the ASN data set writes it. */
  asOrg?: string;
  /** External providers' answers, by provider name (see `ProviderResult`). */
  providers?: Record<string, ProviderResult>;
}

/** One external provider's answer on an indicator: its mapped fields and when it was obtained (ISO 8601). */
export interface ProviderResult {
  at: string;
  fields: Record<string, string | number | boolean | null>;
}

function ipRangeOf(address: string): IndicatorEnrichment {
  return { ipRange: ipaddr.parse(address).range() };
}

function domainFacts(domain: string): IndicatorEnrichment {
  const facts: IndicatorEnrichment = {};
  const registrable = getDomain(domain);
  const suffix = getPublicSuffix(domain);
  if (registrable !== null) facts.registrableDomain = registrable;
  if (suffix !== null) facts.publicSuffix = suffix;
  return facts;
}

/** A canonical URL's host; an IPv6 one without brackets. */
export function urlHost(value: string): string {
  const host = new URL(value).hostname;
  if (!host.startsWith('[')) return host;
  // As the canonical value writes it (`[::ffff:192.0.2.1]`), not as the URL parser re-serializes it.
  const authority = value.slice(value.indexOf('://') + 3);
  return authority.slice(1, authority.indexOf(']'));
}

function urlFacts(value: string): IndicatorEnrichment {
  const host = urlHost(value);
  return isIP(host) ? { host, ...ipRangeOf(host) } : { host, ...domainFacts(host) };
}

/**
 * Offline enrichment of a normalized indicator. Returns an empty object for
 * hashes, CVEs and AS numbers, and for values that are not canonical.
 */
export function enrichIndicator(ind: NormalizedIndicator): IndicatorEnrichment {
  try {
    switch (ind.type) {
      case 'ipv4':
      case 'ipv6':
        return ipRangeOf(ind.value);
      case 'cidr':
        return { ipRange: ipaddr.parseCIDR(ind.value)[0].range() };
      case 'domain':
        return domainFacts(ind.value);
      case 'email':
        return domainFacts(ind.value.slice(ind.value.lastIndexOf('@') + 1));
      case 'url':
        return urlFacts(ind.value);
      case 'md5':
      case 'sha1':
      case 'sha256':
      case 'sha512':
      case 'cve':
      case 'asn':
        return {};
    }
  } catch {
    // Hand-built indicators may carry a value the parsers refuse.
    return {};
  }
}
