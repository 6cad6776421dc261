import { enrichIndicator, IndicatorEnrichment } from './enrich';
import { IndicatorType } from './indicator-type';
import { normalizeIndicator } from './normalize';

describe('enrichIndicator', () => {
  it.each<[IndicatorType, string, IndicatorEnrichment]>([
    ['ipv4', '10.0.0.1', { ipRange: 'private' }],
    ['ipv4', '127.0.0.1', { ipRange: 'loopback' }],
    ['ipv4', '192.0.2.1', { ipRange: 'reserved' }],
    ['ipv4', '100.64.0.1', { ipRange: 'carrierGradeNat' }],
    ['ipv4', '8.8.8.8', { ipRange: 'unicast' }],
    ['ipv6', '2001:db8::1', { ipRange: 'reserved' }],
    ['ipv6', 'fd00::1', { ipRange: 'uniqueLocal' }],
    ['ipv6', 'fe80::1', { ipRange: 'linkLocal' }],
    ['ipv6', '::1', { ipRange: 'loopback' }],
    ['ipv6', '::ffff:c000:201', { ipRange: 'ipv4Mapped' }],
    ['ipv6', '::ffff:192.0.2.1', { ipRange: 'ipv4Mapped' }],
    ['cidr', '::ffff:192.0.2.0/120', { ipRange: 'ipv4Mapped' }],
    ['url', 'http://[::ffff:192.0.2.1]/', { host: '::ffff:192.0.2.1', ipRange: 'ipv4Mapped' }],
    ['cidr', '10.0.0.0/8', { ipRange: 'private' }],
    ['cidr', '2001:db8::/32', { ipRange: 'reserved' }],
    ['domain', 'www.example.co.uk', { registrableDomain: 'example.co.uk', publicSuffix: 'co.uk' }],
    ['domain', 'xn--bcher-kva.de', { registrableDomain: 'xn--bcher-kva.de', publicSuffix: 'de' }],
    ['domain', 'foo.github.io', { registrableDomain: 'github.io', publicSuffix: 'io' }],
    ['email', 'bad@mail.evil-example.com', { registrableDomain: 'evil-example.com', publicSuffix: 'com' }],
    [
      'url',
      'https://login.example.com/x',
      { host: 'login.example.com', registrableDomain: 'example.com', publicSuffix: 'com' },
    ],
    ['url', 'http://192.0.2.1/', { host: '192.0.2.1', ipRange: 'reserved' }],
    ['url', 'http://[2001:db8::1]:8080/', { host: '2001:db8::1', ipRange: 'reserved' }],
    [
      'url',
      'sftp://files.example.org:2222/',
      { host: 'files.example.org', registrableDomain: 'example.org', publicSuffix: 'org' },
    ],
    ['md5', 'd41d8cd98f00b204e9800998ecf8427e', {}],
    ['cve', 'CVE-2024-3094', {}],
    ['asn', 'AS64500', {}],
    ['ipv4', 'not-an-ip', {}],
  ])('%s %j', (type, value, expected) => {
    expect(enrichIndicator({ raw: value, type, value })).toEqual(expected);
  });

  it('enriches the output of normalizeIndicator', () => {
    const result = normalizeIndicator('hxxps://Login.Example[.]co.uk/');
    if (!result.ok) throw new Error(result.rejected.message);
    expect(enrichIndicator(result.indicator)).toEqual({
      host: 'login.example.co.uk',
      registrableDomain: 'example.co.uk',
      publicSuffix: 'co.uk',
    });
  });
});
