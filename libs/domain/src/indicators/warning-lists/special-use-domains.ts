import type { DomainWarningList } from './warning-list';

/**
 * Names reserved so they never name a host on the public internet: documentation, testing, local
 * networks. Written from the IANA Special-Use Domain Names registry and ICANN’s reservation of
 * `.internal`.
 *
 * Left out on purpose: `.onion` (RFC 7686) and `.alt` (RFC 9476) name real services outside the DNS
 * (a Tor leak site is a useful indicator).
 */
export const SPECIAL_USE_DOMAINS: DomainWarningList = {
  list: 'special-use-domains',
  name: 'Special-use and documentation domain names',
  updated: '2026-11-29',
  sources: [
    'https://www.iana.org/assignments/special-use-domain-names/',
    'RFC 2606 and RFC 6761 (example, example.com, example.net, example.org, invalid, localhost, test)',
    'RFC 6762 (local)',
    'RFC 8375 (home.arpa)',
    'RFC 8880 (ipv4only.arpa)',
    'RFC 9462 (resolver.arpa)',
    'RFC 9665 (service.arpa)',
    'RFC 6761 §6.1 (reverse zones of the RFC 1918 and link-local networks)',
    'ICANN Board resolution 2024.07.29.06 (internal)',
  ],
  domains: [
    'example',
    'example.com',
    'example.net',
    'example.org',
    'invalid',
    'localhost',
    'test',
    'local',
    'internal',
    'home.arpa',
    'ipv4only.arpa',
    'resolver.arpa',
    'service.arpa',
    '10.in-addr.arpa',
    ...Array.from({ length: 16 }, (_, i) => `${16 + i}.172.in-addr.arpa`),
    '168.192.in-addr.arpa',
    '254.169.in-addr.arpa',
  ],
};
