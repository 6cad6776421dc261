import type { IpWarningList } from './warning-list';

/**
 * Special-purpose address space: addresses that name no particular host on the internet (private,
 * loopback, documentation…), so sharing one tells a partner nothing about an attacker.
 *
 * Written from the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and the RFCs that
 * update them) and the IANA multicast registries. ipaddr.js classifies most of these ranges; it is
 * used for every range it names, and only what it lacks or folds into a broader name is written as
 * CIDRs here (documentation and IPv4 benchmarking, which it counts as `reserved`; the local-use
 * translation prefix, which it counts with the global NAT64 prefix; the dummy IPv6 prefix).
 *
 * Not listed, on purpose: 6to4 (2002::/16), Teredo (2001::/32) and the well-known NAT64 prefix
 * (64:ff9b::/96) carry real hosts' addresses; an IPv4-mapped IPv6 address is judged by the IPv4
 * address it carries.
 *
 * Order matters: the first list whose CIDRs hold an address wins, before any ipaddr.js range name.
 */
export const IP_RANGE_LISTS: readonly IpWarningList[] = [
  {
    list: 'documentation',
    name: 'Documentation ranges',
    updated: '2026-11-29',
    sources: [
      'RFC 5737 (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24)',
      'RFC 3849 (2001:db8::/32)',
      'RFC 9637 (3fff::/20)',
      'https://www.iana.org/assignments/iana-ipv4-special-registry/',
      'https://www.iana.org/assignments/iana-ipv6-special-registry/',
    ],
    cidrs: ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32', '3fff::/20'],
    ipaddrRanges: { ipv4: [], ipv6: [] },
  },
  {
    list: 'benchmarking',
    name: 'Benchmarking ranges',
    updated: '2026-11-29',
    sources: ['RFC 2544 (198.18.0.0/15)', 'RFC 5180 (2001:2::/48)'],
    cidrs: ['198.18.0.0/15'],
    ipaddrRanges: { ipv4: [], ipv6: ['benchmarking'] },
  },
  {
    list: 'rfc1918',
    name: 'Private-use networks (RFC 1918)',
    updated: '2026-11-29',
    sources: ['RFC 1918 (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)'],
    cidrs: [],
    ipaddrRanges: { ipv4: ['private'], ipv6: [] },
  },
  {
    list: 'unique-local',
    name: 'IPv6 unique local addresses',
    updated: '2026-11-29',
    sources: ['RFC 4193 (fc00::/7)'],
    cidrs: [],
    ipaddrRanges: { ipv4: [], ipv6: ['uniqueLocal'] },
  },
  {
    list: 'cgnat',
    name: 'Shared address space (carrier-grade NAT)',
    updated: '2026-11-29',
    sources: ['RFC 6598 (100.64.0.0/10)'],
    cidrs: [],
    ipaddrRanges: { ipv4: ['carrierGradeNat'], ipv6: [] },
  },
  {
    list: 'loopback',
    name: 'Loopback',
    updated: '2026-11-29',
    sources: ['RFC 1122 (127.0.0.0/8)', 'RFC 4291 (::1/128)'],
    cidrs: [],
    ipaddrRanges: { ipv4: ['loopback'], ipv6: ['loopback'] },
  },
  {
    list: 'link-local',
    name: 'Link-local',
    updated: '2026-11-29',
    sources: ['RFC 3927 (169.254.0.0/16)', 'RFC 4291 (fe80::/10)'],
    cidrs: [],
    ipaddrRanges: { ipv4: ['linkLocal'], ipv6: ['linkLocal'] },
  },
  {
    list: 'unspecified',
    name: 'Unspecified address and “this network”',
    updated: '2026-11-29',
    sources: ['RFC 791 and RFC 1122 (0.0.0.0/8)', 'RFC 4291 (::/128)'],
    cidrs: [],
    ipaddrRanges: { ipv4: ['unspecified'], ipv6: ['unspecified'] },
  },
  {
    list: 'broadcast',
    name: 'Limited broadcast',
    updated: '2026-11-29',
    sources: ['RFC 919 and RFC 8190 (255.255.255.255/32)'],
    cidrs: [],
    ipaddrRanges: { ipv4: ['broadcast'], ipv6: [] },
  },
  {
    list: 'multicast',
    name: 'Multicast',
    updated: '2026-11-29',
    sources: [
      'RFC 5771 (224.0.0.0/4)',
      'RFC 4291 (ff00::/8)',
      'https://www.iana.org/assignments/multicast-addresses/',
      'https://www.iana.org/assignments/ipv6-multicast-addresses/',
    ],
    cidrs: [],
    ipaddrRanges: { ipv4: ['multicast'], ipv6: ['multicast'] },
  },
  {
    list: 'anycast-services',
    name: 'Special-purpose anycast services (AS112, AMT)',
    updated: '2026-11-29',
    sources: [
      'RFC 7534 and RFC 7535 (192.175.48.0/24, 192.31.196.0/24, 2620:4f:8000::/48, 2001:4:112::/48)',
      'RFC 7450 (192.52.193.0/24, 2001:3::/32)',
    ],
    cidrs: [],
    ipaddrRanges: { ipv4: ['as112', 'amt'], ipv6: ['as112v6', 'amt'] },
  },
  {
    list: 'reserved',
    name: 'Reserved and special-purpose ranges',
    updated: '2026-11-29',
    sources: [
      'https://www.iana.org/assignments/iana-ipv4-special-registry/ (192.0.0.0/24, 192.88.99.0/24, 240.0.0.0/4)',
      'https://www.iana.org/assignments/iana-ipv6-special-registry/',
      'RFC 6890 (2001::/23 IETF protocol assignments)',
      'RFC 6666 (100::/64 discard-only)',
      'RFC 9780 (100:0:0:1::/64 dummy prefix)',
      'RFC 8215 (64:ff9b:1::/48 local-use IPv4/IPv6 translation)',
      'RFC 3879 (fec0::/10 deprecated site-local)',
      'RFC 4843 and RFC 7343 (ORCHID 2001:10::/28, 2001:20::/28)',
      'RFC 9374 (2001:30::/28 DRIP entity tags)',
      'RFC 9602 (5f00::/16 SRv6 SIDs)',
    ],
    cidrs: ['100:0:0:1::/64', '64:ff9b:1::/48'],
    ipaddrRanges: {
      ipv4: ['reserved'],
      ipv6: [
        'reserved',
        'discard',
        'deprecatedSiteLocal',
        'deprecatedOrchid',
        'orchid2',
        'droneRemoteIdProtocolEntityTags',
        'segmentRouting',
      ],
    },
  },
];
