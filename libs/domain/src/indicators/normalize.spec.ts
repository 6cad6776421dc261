import { IndicatorType } from './indicator-type';
import { detectIndicatorType, normalizeIndicator, RejectReason } from './normalize';

const MD5 = 'D41D8CD98F00B204E9800998ECF8427E';
const SHA1 = 'DA39A3EE5E6B4B0D3255BFEF95601890AFD80709';
const SHA256 = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855';
const SHA512 =
  'CF83E1357EEFB8BDF1542850D66D8007D620E4050B5715DC83F4A921D36CE9CE47D0D13C5D85F2B0FF8318D2877EEC2F63B931BD47417A81A538327AF927DA3E';

describe('normalizeIndicator: canonical forms', () => {
  it.each<[string, IndicatorType, string]>([
    // IPv4
    ['192.0.2.1', 'ipv4', '192.0.2.1'],
    [' 198.51.100.23 ', 'ipv4', '198.51.100.23'],
    ['0.0.0.0', 'ipv4', '0.0.0.0'],
    ['255.255.255.255', 'ipv4', '255.255.255.255'],
    ['203.0.113[.]7', 'ipv4', '203.0.113.7'],
    // IPv6
    ['2001:DB8::1', 'ipv6', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', 'ipv6', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', 'ipv6', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', 'ipv6', '2001:db8:0:1:1:1:1:1'],
    ['FE80::0001', 'ipv6', 'fe80::1'],
    ['::1', 'ipv6', '::1'],
    ['::', 'ipv6', '::'],
    ['::ffff:192.0.2.1', 'ipv6', '::ffff:c000:201'],
    ['::192.0.2.1', 'ipv6', '::c000:201'],
    ['[2001:db8::1]', 'ipv6', '2001:db8::1'],
    // CIDR
    ['198.51.100.77/24', 'cidr', '198.51.100.0/24'],
    ['10.1.2.3/8', 'cidr', '10.0.0.0/8'],
    ['192.0.2.1/32', 'cidr', '192.0.2.1/32'],
    ['203.0.113.9/0', 'cidr', '0.0.0.0/0'],
    ['2001:db8::1/32', 'cidr', '2001:db8::/32'],
    ['2001:DB8:0:0:8::/64', 'cidr', '2001:db8::/64'],
    ['2001:db8::1/128', 'cidr', '2001:db8::1/128'],
    // domains
    ['Example.COM', 'domain', 'example.com'],
    ['example.com.', 'domain', 'example.com'],
    ['www.example.co.uk', 'domain', 'www.example.co.uk'],
    ['foo.github.io', 'domain', 'foo.github.io'],
    ['b\u00fccher.de', 'domain', 'xn--bcher-kva.de'],
    ['B\u00dcCHER.DE', 'domain', 'xn--bcher-kva.de'],
    ['xn--bcher-kva.de', 'domain', 'xn--bcher-kva.de'],
    ['\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444', 'domain', 'xn--e1afmkfd.xn--p1ai'],
    ['evil-example[.]com', 'domain', 'evil-example.com'],
    ['evil-example(dot)com', 'domain', 'evil-example.com'],
    // URLs
    ['http://EVIL.com:80/A', 'url', 'http://evil.com/A'],
    ['https://example.com:443/x', 'url', 'https://example.com/x'],
    ['https://example.com:8443/x', 'url', 'https://example.com:8443/x'],
    ['HTTP://Example.com', 'url', 'http://example.com/'],
    ['hxxps://evil[.]com/x', 'url', 'https://evil.com/x'],
    ['hxxp[:]//evil-example[.]com/Path/File.PHP', 'url', 'http://evil-example.com/Path/File.PHP'],
    ['http://user:secret@example.com/', 'url', 'http://user:secret@example.com/'],
    ['http://192.0.2.1:8080/a', 'url', 'http://192.0.2.1:8080/a'],
    ['http://[2001:DB8::1]/a', 'url', 'http://[2001:db8::1]/a'],
    ['http://0xc0.0.2.1/', 'url', 'http://192.0.2.1/'],
    ['http://b\u00fccher.de/Pfad', 'url', 'http://xn--bcher-kva.de/Pfad'],
    ['http://example.com/a/../B', 'url', 'http://example.com/B'],
    ['http://example.com/a?q=1#frag', 'url', 'http://example.com/a?q=1#frag'],
    ['http://example.com/a?#', 'url', 'http://example.com/a'],
    ['http://example.com./a', 'url', 'http://example.com/a'],
    ['ftp://files.example.com:21/pub', 'url', 'ftp://files.example.com/pub'],
    ['sftp://Files.Example.com:22', 'url', 'sftp://files.example.com/'],
    ['sftp://files.example.com:2222/x', 'url', 'sftp://files.example.com:2222/x'],
    ['ftps://b\u00fccher.de:990/X', 'url', 'ftps://xn--bcher-kva.de/X'],
    ['wss://example.com:443/ws', 'url', 'wss://example.com/ws'],
    ['ws://example.com:8080', 'url', 'ws://example.com:8080/'],
    // email
    ['Bad.Actor@Example.COM', 'email', 'bad.actor@example.com'],
    ['bad[at]evil-example[.]com', 'email', 'bad@evil-example.com'],
    ['info@b\u00fccher.de', 'email', 'info@xn--bcher-kva.de'],
    ['first+tag@example.org', 'email', 'first+tag@example.org'],
    // hashes
    [MD5, 'md5', MD5.toLowerCase()],
    [SHA1, 'sha1', SHA1.toLowerCase()],
    [SHA256, 'sha256', SHA256.toLowerCase()],
    [SHA512, 'sha512', SHA512.toLowerCase()],
    // CVE
    ['cve-2024-3094', 'cve', 'CVE-2024-3094'],
    ['CVE-2021-44228', 'cve', 'CVE-2021-44228'],
    ['CVE-2024-0001', 'cve', 'CVE-2024-0001'],
    ['CVE-2017-1000117', 'cve', 'CVE-2017-1000117'],
    // ASN
    ['as64500', 'asn', 'AS64500'],
    ['ASN64500', 'asn', 'AS64500'],
    ['AS0064500', 'asn', 'AS64500'],
    ['AS4294967295', 'asn', 'AS4294967295'],
    ['AS0', 'asn', 'AS0'],
  ])('%j is %s %j', (raw, type, value) => {
    expect(normalizeIndicator(raw)).toEqual({ ok: true, indicator: { raw, type, value } });
  });
});

describe('normalizeIndicator: rejected values', () => {
  it.each<[string, RejectReason, string]>([
    ['', 'empty', 'Indicator is empty.'],
    ['   ', 'empty', 'Indicator is empty.'],
    ['"()"', 'empty', 'Indicator is empty.'],
    ['hello', 'unrecognized', 'Value is not a recognized indicator.'],
    ['1.2.3', 'unrecognized', 'Value is not a recognized indicator.'],
    ['report.pdf', 'unrecognized', 'Value is not a recognized indicator.'],
    ['e.g.', 'unrecognized', 'Value is not a recognized indicator.'],
    ['localhost', 'unrecognized', 'Value is not a recognized indicator.'],
    ['evil.example', 'unrecognized', 'Value is not a recognized indicator.'],
    ['co.uk', 'unrecognized', 'Value is not a recognized indicator.'],
    ['javascript:alert(1)', 'unrecognized', 'Value is not a recognized indicator.'],
    ['999.1.1.1', 'invalid_value', 'IPv4 octet 999 is out of range (0-255).'],
    ['01.02.03.04', 'invalid_value', 'IPv4 octets must not have leading zeros.'],
    ['2001:db8:::1', 'invalid_value', 'Value is not a valid IPv6 address.'],
    ['::ffff:01.02.03.04', 'invalid_value', 'Value is not a valid IPv6 address.'],
    ['fe80::1%eth0', 'invalid_value', 'IPv6 zone identifiers are not supported.'],
    ['198.51.100.0/33', 'invalid_value', 'An IPv4 prefix length must be between 0 and 32.'],
    ['2001:db8::/129', 'invalid_value', 'An IPv6 prefix length must be between 0 and 128.'],
    ['198.51.100.0/024', 'invalid_value', 'A CIDR prefix length must be a decimal number without leading zeros.'],
    ['http://', 'invalid_value', 'Value is not a valid URL.'],
    ['http://999.1.1.1/', 'invalid_value', 'Value is not a valid URL.'],
    ['gopher://example.com/', 'invalid_value', "URL scheme 'gopher' is not supported."],
    ['constructor://example.com/', 'invalid_value', "URL scheme 'constructor' is not supported."],
    ['http://localhost/', 'invalid_value', "URL host 'localhost' is not a valid domain name or IP address."],
    ['http://invoice.pdf/', 'invalid_value', "URL host 'invoice.pdf' is not a valid domain name or IP address."],
    ['bad@report.pdf', 'invalid_value', "The email domain is invalid: 'pdf' is not a known public suffix."],
    ['a@b@example.com', 'invalid_value', 'An email address must contain exactly one @ with a local part before it.'],
    ['bad..actor@example.com', 'invalid_value', 'The local part of the email address is invalid.'],
    [
      'a'.repeat(31),
      'invalid_value',
      'A hexadecimal string of 31 characters is not an MD5, SHA-1, SHA-256 or SHA-512 hash.',
    ],
    ['CVE-24-1', 'invalid_value', 'A CVE identifier looks like CVE-2024-12345.'],
    ['CVE-1998-0001', 'invalid_value', 'CVE identifiers start in 1999.'],
    ['AS4294967296', 'invalid_value', 'AS numbers range from 0 to 4294967295.'],
  ])('%j is rejected as %s', (raw, reason, message) => {
    expect(normalizeIndicator(raw)).toEqual({ ok: false, rejected: { raw, reason, message } });
  });
});

describe('normalizeIndicator: length limit', () => {
  const urlOfLength = (length: number): string => `http://example.com/${'a'.repeat(length - 19)}`;

  it('accepts a 2048-character input', () => {
    const raw = urlOfLength(2048);
    expect(normalizeIndicator(raw)).toEqual({ ok: true, indicator: { raw, type: 'url', value: raw } });
  });

  it.each([[2049], [3000]])('rejects a %i-character input', (length) => {
    const raw = urlOfLength(length);
    expect(normalizeIndicator(raw)).toEqual({
      ok: false,
      rejected: { raw, reason: 'too_long', message: 'Indicator is longer than 2048 characters.' },
    });
  });
});

describe('normalizeIndicator: declared type', () => {
  it.each<[string, IndicatorType, string]>([
    ['192.0.2.1', 'ipv4', '192.0.2.1'],
    ['evil-example[.]com', 'domain', 'evil-example.com'],
    [MD5, 'md5', MD5.toLowerCase()],
    ['hxxp://evil-example[.]com', 'url', 'http://evil-example.com/'],
  ])('accepts %j declared as %s', (raw, declaredType, value) => {
    expect(normalizeIndicator(raw, declaredType)).toEqual({
      ok: true,
      indicator: { raw, type: declaredType, value },
    });
  });

  it.each<[string, IndicatorType, RejectReason, string]>([
    ['192.0.2.1', 'domain', 'type_mismatch', 'Expected a domain name but the value is an IPv4 address.'],
    ['192.0.2.1', 'cidr', 'type_mismatch', 'Expected a CIDR range but the value is an IPv4 address.'],
    ['2001:db8::1', 'ipv4', 'type_mismatch', 'Expected an IPv4 address but the value is an IPv6 address.'],
    ['evil-example.com', 'url', 'type_mismatch', 'Expected a URL but the value is a domain name.'],
    ['http://evil-example.com/', 'domain', 'type_mismatch', 'Expected a domain name but the value is a URL.'],
    [SHA1, 'md5', 'type_mismatch', 'Expected an MD5 hash but the value is a SHA-1 hash.'],
    ['AS64500', 'cve', 'type_mismatch', 'Expected a CVE identifier but the value is an AS number.'],
    ['bad@example.com', 'asn', 'type_mismatch', 'Expected an AS number but the value is an email address.'],
    ['999.1.1.1', 'ipv4', 'invalid_value', 'IPv4 octet 999 is out of range (0-255).'],
    ['report.pdf', 'domain', 'invalid_value', "'pdf' is not a known public suffix."],
    ['co.uk', 'domain', 'invalid_value', "'co.uk' is a public suffix, not a registrable domain."],
    ['hello', 'email', 'invalid_value', 'An email address must contain exactly one @ with a local part before it.'],
    ['hello', 'sha256', 'invalid_value', 'SHA-256 hashes are exactly 64 hexadecimal characters.'],
    ['', 'ipv4', 'empty', 'Indicator is empty.'],
  ])('rejects %j declared as %s (%s)', (raw, declaredType, reason, message) => {
    expect(normalizeIndicator(raw, declaredType)).toEqual({
      ok: false,
      rejected: { raw, reason, message, declaredType },
    });
  });

  it('throws on a declared type that does not exist', () => {
    expect(() => normalizeIndicator('192.0.2.1', 'ip' as unknown as IndicatorType)).toThrow(
      new TypeError('Unknown indicator type: ip'),
    );
  });
});

describe('detectIndicatorType', () => {
  it.each<[string, IndicatorType | undefined]>([
    ['https://example.com/', 'url'],
    ['a@example.com', 'email'],
    ['192.0.2.0/24', 'cidr'],
    ['192.0.2.1', 'ipv4'],
    ['2001:db8::1', 'ipv6'],
    [MD5, 'md5'],
    [SHA1, 'sha1'],
    [SHA256, 'sha256'],
    [SHA512, 'sha512'],
    ['CVE-2024-3094', 'cve'],
    ['AS64500', 'asn'],
    ['example.org', 'domain'],
    // detection does not refang
    ['hxxp://evil[.]com', undefined],
    ['e.g', undefined],
    ['1.2.3.4.5', undefined],
  ])('%j -> %s', (value, type) => {
    expect(detectIndicatorType(value)).toBe(type);
  });
});
