import * as ipaddr from 'ipaddr.js';

/** A parsed `WEBHOOK_ALLOWED_CIDRS` entry: an address and a prefix length. */
export type AllowedCidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Cloud instance-metadata and platform service addresses, refused even inside `WEBHOOK_ALLOWED_CIDRS`
 * and even where they are otherwise global (Azure's wire server): AWS/GCP/Azure/OpenStack
 * 169.254.169.254, AWS ECS task metadata 169.254.170.2, AWS IPv6 fd00:ec2::254, Alibaba Cloud
 * 100.100.100.200, Oracle Cloud 192.0.0.192, Azure 168.63.129.16 (each provider's documentation).
 */
export const METADATA_ADDRESSES: readonly string[] = [
  '169.254.169.254',
  '169.254.170.2',
  'fd00:ec2::254',
  '100.100.100.200',
  '192.0.0.192',
  '168.63.129.16',
];

const METADATA = new Set(METADATA_ADDRESSES.map((address) => ipaddr.parse(address).toNormalizedString()));

/** Whether a webhook may connect to an address, and if not, why (an ipaddr.js range name or `metadata`). */
export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

/**
 * Parses `WEBHOOK_ALLOWED_CIDRS`: comma-separated CIDRs (`10.0.0.0/8, 127.0.0.1/32, fd12::/16`),
 * blanks ignored. Throws an Error naming the first entry that is not a CIDR.
 */
export function parseAllowedCidrs(raw: string): AllowedCidr[] {
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      try {
        return ipaddr.parseCIDR(entry);
      } catch {
        throw new Error(`"${entry}" is not a CIDR (e.g. 10.0.0.0/8)`);
      }
    });
}

function inside(address: ipaddr.IPv4 | ipaddr.IPv6, cidr: AllowedCidr): boolean {
  const [network, bits] = cidr;
  if (address.kind() !== network.kind()) return false;
  return address.match(network, bits);
}

/**
 * Decides whether a webhook request may go to `address` (an IPv4 or IPv6 literal, as resolved or as
 * connected to). Allowed: a global unicast address (ipaddr.js `range()` is `unicast`: not loopback,
 * RFC 1918 private, link-local, CGNAT 100.64.0.0/10 (RFC 6598), unique-local fc00::/7 (RFC 4193),
 * multicast, unspecified, broadcast, documentation/benchmarking/reserved, 6to4, Teredo or NAT64), or
 * any address inside one of `allowed`; never one of `METADATA_ADDRESSES`. An IPv4-mapped IPv6 address
 * (`::ffff:127.0.0.1`) is judged as the IPv4 address it carries. Something that is not an IP address
 * is refused (`reason: 'invalid'`), as are IPv4 forms other than four decimal parts (`127.1`).
 */
export function classifyWebhookAddress(address: string, allowed: readonly AllowedCidr[] = []): AddressVerdict {
  if (!ipaddr.IPv4.isValidFourPartDecimal(address) && !ipaddr.IPv6.isValid(address))
    return { allowed: false, reason: 'invalid' };
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (METADATA.has(parsed.toNormalizedString())) return { allowed: false, reason: 'metadata' };
  if (allowed.some((cidr) => inside(parsed, cidr))) return { allowed: true };
  const range = parsed.range();
  return range === 'unicast' ? { allowed: true } : { allowed: false, reason: range };
}
