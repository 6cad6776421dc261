import type { IpWarningList } from './warning-list';

/**
 * Well-known public DNS resolvers, by the service addresses each operator publishes (IPv4 and IPv6,
 * filtering and unfiltered variants). Malware and users alike query them, so one in a report says
 * nothing about an attacker; correlating on one would link every incident that mentions it.
 */
const RESOLVERS: ReadonlyArray<{ operator: string; source: string; addresses: readonly string[] }> = [
  {
    operator: 'Google Public DNS',
    source: 'https://developers.google.com/speed/public-dns/docs/using',
    addresses: [
      '8.8.8.8',
      '8.8.4.4',
      '2001:4860:4860::8888',
      '2001:4860:4860::8844',
      // DNS64
      '2001:4860:4860::6464',
      '2001:4860:4860::64',
    ],
  },
  {
    operator: 'Cloudflare 1.1.1.1',
    source: 'https://developers.cloudflare.com/1.1.1.1/ip-addresses/',
    addresses: [
      '1.1.1.1',
      '1.0.0.1',
      '2606:4700:4700::1111',
      '2606:4700:4700::1001',
      // 1.1.1.1 for Families: malware blocking, then malware and adult content blocking
      '1.1.1.2',
      '1.0.0.2',
      '2606:4700:4700::1112',
      '2606:4700:4700::1002',
      '1.1.1.3',
      '1.0.0.3',
      '2606:4700:4700::1113',
      '2606:4700:4700::1003',
      // DNS64
      '2606:4700:4700::64',
      '2606:4700:4700::6400',
    ],
  },
  {
    operator: 'Quad9',
    source: 'https://www.quad9.net/service/service-addresses-and-features',
    addresses: [
      '9.9.9.9',
      '149.112.112.112',
      '2620:fe::fe',
      '2620:fe::9',
      // unsecured
      '9.9.9.10',
      '149.112.112.10',
      '2620:fe::10',
      '2620:fe::fe:10',
      // with ECS
      '9.9.9.11',
      '149.112.112.11',
      '2620:fe::11',
      '2620:fe::fe:11',
    ],
  },
  {
    operator: 'OpenDNS (Cisco Umbrella)',
    source: 'https://www.opendns.com/setupguide/ and Cisco’s “Understand OpenDNS FamilyShield”',
    addresses: [
      '208.67.222.222',
      '208.67.220.220',
      '2620:119:35::35',
      '2620:119:53::53',
      // FamilyShield
      '208.67.222.123',
      '208.67.220.123',
      '2620:119:35::123',
      '2620:119:53::123',
    ],
  },
  {
    operator: 'AdGuard DNS',
    source: 'https://adguard-dns.io/kb/general/dns-providers/',
    addresses: [
      '94.140.14.14',
      '94.140.15.15',
      '2a10:50c0::ad1:ff',
      '2a10:50c0::ad2:ff',
      // non-filtering
      '94.140.14.140',
      '94.140.14.141',
      '2a10:50c0::1:ff',
      '2a10:50c0::2:ff',
      // family protection
      '94.140.14.15',
      '94.140.15.16',
      '2a10:50c0::bad1:ff',
      '2a10:50c0::bad2:ff',
    ],
  },
  {
    operator: 'CleanBrowsing',
    source: 'https://cleanbrowsing.org/filters/',
    addresses: [
      // security filter
      '185.228.168.9',
      '185.228.169.9',
      '2a0d:2a00:1::2',
      '2a0d:2a00:2::2',
      // adult filter
      '185.228.168.10',
      '185.228.169.11',
      '2a0d:2a00:1::1',
      '2a0d:2a00:2::1',
      // family filter
      '185.228.168.168',
      '185.228.169.168',
      '2a0d:2a00:1::',
      '2a0d:2a00:2::',
    ],
  },
];

export const PUBLIC_DNS_RESOLVERS: IpWarningList = {
  list: 'public-dns-resolvers',
  name: 'Public DNS resolvers',
  updated: '2026-11-29',
  sources: RESOLVERS.map((resolver) => `${resolver.operator}: ${resolver.source}`),
  cidrs: RESOLVERS.flatMap((resolver) =>
    resolver.addresses.map((address) => `${address}/${address.includes(':') ? 128 : 32}`),
  ),
  ipaddrRanges: { ipv4: [], ipv6: [] },
};
