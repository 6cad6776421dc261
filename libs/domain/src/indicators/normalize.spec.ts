import { IndicatorType } from './indicator-type';
import { detectIndicatorType, normalizeIndicator, RejectReason, withoutCredentials } from './normalize';

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
    // bidi and zero-width format characters around or inside an address (the indicators field too)
    ['\u200f203.0.113.5\u200f', 'ipv4', '203.0.113.5'],
    ['\u202b203.0.113.5\u202c', 'ipv4', '203.0.113.5'],
    ['\u2068203\u200b.0.113.5\u2069', 'ipv4', '203.0.113.5'],
    ['\ufeff203.0.113.5', 'ipv4', '203.0.113.5'],
    // IPv6
    ['2001:DB8::1', 'ipv6', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', 'ipv6', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', 'ipv6', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', 'ipv6', '2001:db8:0:1:1:1:1:1'],
    ['FE80::0001', 'ipv6', 'fe80::1'],
    ['::1', 'ipv6', '::1'],
    ['::', 'ipv6', '::'],
    // RFC 5952 §5: mixed notation after the well-known IPv4-embedding prefixes
    ['::ffff:192.0.2.1', 'ipv6', '::ffff:192.0.2.1'],
    ['::FFFF:C000:0201', 'ipv6', '::ffff:192.0.2.1'],
    ['0:0:0:0:0:ffff:c000:201', 'ipv6', '::ffff:192.0.2.1'],
    ['::ffff:0:192.0.2.1', 'ipv6', '::ffff:0:192.0.2.1'],
    ['64:ff9b::c000:221', 'ipv6', '64:ff9b::192.0.2.33'],
    ['64:FF9B:0:0:0:0:192.0.2.33', 'ipv6', '64:ff9b::192.0.2.33'],
    ['::ffff:0.0.0.0', 'ipv6', '::ffff:0.0.0.0'],
    // ... and hexadecimal elsewhere, the deprecated IPv4-compatible ::/96 included
    ['2001:db8::192.0.2.1', 'ipv6', '2001:db8::c000:201'],
    ['64:ff9b:1::c000:221', 'ipv6', '64:ff9b:1::c000:221'],
    ['::ffff:1:c000:201', 'ipv6', '::ffff:1:c000:201'],
    ['2001:db8:0:0:1::1', 'ipv6', '2001:db8::1:0:0:1'],
    ['2001:0:0:1:0:0:0:1', 'ipv6', '2001:0:0:1::1'],
    ['\u200f2001:db8::1\u200f', 'ipv6', '2001:db8::1'],
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
    ['::ffff:192.0.2.77/120', 'cidr', '::ffff:192.0.2.0/120'],
    ['::ffff:c000:2ff/127', 'cidr', '::ffff:192.0.2.254/127'],
    ['2001:db8:abcd:1234::/36', 'cidr', '2001:db8:a000::/36'],
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
    // underscores: service and sub-domain labels only
    ['_sip._tls.example.org', 'domain', '_sip._tls.example.org'],
    ['_dmarc.Example.org', 'domain', '_dmarc.example.org'],
    ['x_y.example.com', 'domain', 'x_y.example.com'],
    // IDN
    ['stra\u00dfe.de', 'domain', 'xn--strae-oqa.de'],
    [
      '\u0645\u062b\u0627\u0644.\u0627\u0644\u0633\u0639\u0648\u062f\u064a\u0629',
      'domain',
      'xn--mgbh0fb.xn--mgberp4a5d4ar',
    ],
    ['\u067e\u0627\u06a9\u0633\u062a\u0627\u0646.pk', 'domain', 'xn--mgbai9azgqp6j.pk'],
    ['\u4f8b\u3048.jp', 'domain', 'xn--r8jz45g.jp'],
    ['\u4f8b\u3048\u3002jp', 'domain', 'xn--r8jz45g.jp'],
    // Arabic-Indic digits stay in a name: a different IDN label from ASCII '3'
    [
      '\u0645\u062b\u0627\u0644\u0663.\u0627\u0644\u0633\u0639\u0648\u062f\u064a\u0629',
      'domain',
      'xn--mgbh0fb7m.xn--mgberp4a5d4ar',
    ],
    ['evil-example[.]com\u060c', 'domain', 'evil-example.com'],
    // URLs
    ['http://EVIL.com:80/A', 'url', 'http://evil.com/A'],
    ['https://example.com:443/x', 'url', 'https://example.com/x'],
    ['https://example.com:8443/x', 'url', 'https://example.com:8443/x'],
    ['HTTP://Example.com', 'url', 'http://example.com/'],
    ['hxxps://evil[.]com/x', 'url', 'https://evil.com/x'],
    ['hxxp[:]//evil-example[.]com/Path/File.PHP', 'url', 'http://evil-example.com/Path/File.PHP'],
    ['https://example.com/a;b,c', 'url', 'https://example.com/a;b,c'],
    ['http://example.com/?q=a\\.b', 'url', 'http://example.com/?q=a\\.b'],
    ['hxxp://example[.]com/?q=a\\.b', 'url', 'http://example.com/?q=a\\.b'],
    ['hxxps://evil[.]com/payload[.]exe', 'url', 'https://evil.com/payload.exe'],
    ['h[tt]ps://a[.]example.com/', 'url', 'https://a.example.com/'],
    ['hxtp://a[.]example.com/', 'url', 'http://a.example.com/'],
    ['htxp://a[.]example.com/', 'url', 'http://a.example.com/'],
    ['[hxxp://]a[.]example.com/x', 'url', 'http://a.example.com/x'],
    // ports
    ['http://example.com:080/', 'url', 'http://example.com/'],
    ['https://example.com:443', 'url', 'https://example.com/'],
    ['http://example.com:443/', 'url', 'http://example.com:443/'],
    ['http://[2001:DB8:0:0::1]:443/', 'url', 'http://[2001:db8::1]:443/'],
    ['http://[::ffff:c000:201]/', 'url', 'http://[::ffff:192.0.2.1]/'],
    // percent-encoding (RFC 3986 §6.2.2): upper-case hex, unreserved characters decoded
    ['http://example.com/%7euser/%41%2f', 'url', 'http://example.com/~user/A%2F'],
    ['http://ex%61mple.com/', 'url', 'http://example.com/'],
    ['http://example.com/?q=%e2%82%ac&r=%2d', 'url', 'http://example.com/?q=%E2%82%AC&r=-'],
    ['http://example.com/a b', 'url', 'http://example.com/a%20b'],
    ['http://example.com/%2e%2E/b', 'url', 'http://example.com/b'],
    // stable forms: nothing refang would change is left in a canonical URL
    ['http://example.com/a.#', 'url', 'http://example.com/a'],
    ['http://example.com/a[\\]b', 'url', 'http://example.com/a/b'],
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
    ['a_b.pub', 'unrecognized', 'Value is not a recognized indicator.'],
    ['example.co_uk', 'unrecognized', 'Value is not a recognized indicator.'],
    ['xn--zz.com', 'unrecognized', 'Value is not a recognized indicator.'],
    ['http://[fe80::1%25eth0]/', 'invalid_value', 'IPv6 zone identifiers are not supported.'],
    ['[fe80::1%eth0]', 'invalid_value', 'IPv6 zone identifiers are not supported.'],
    ['http://example.com:65536/', 'invalid_value', 'Value is not a valid URL.'],
    ['hxtp://localhost/', 'invalid_value', "URL host 'localhost' is not a valid domain name or IP address."],
    ['tcp://evil-example.com/', 'invalid_value', "URL scheme 'tcp' is not supported."],
    ['setup.exe', 'unrecognized', 'Value is not a recognized indicator.'],
    ['v1.2.3.4', 'unrecognized', 'Value is not a recognized indicator.'],
    ['1.2.3.4.5', 'unrecognized', 'Value is not a recognized indicator.'],
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
    [
      'a_b.pub',
      'domain',
      'invalid_value',
      "'a_b.pub' is not a registrable domain: an underscore is only allowed in labels left of it.",
    ],
    [
      'www.evil_example.com',
      'domain',
      'invalid_value',
      "'evil_example.com' is not a registrable domain: an underscore is only allowed in labels left of it.",
    ],
    ['http://a_b.pub/', 'url', 'invalid_value', "URL host 'a_b.pub' is not a valid domain name or IP address."],
    ['fe80::1%eth0', 'ipv6', 'invalid_value', 'IPv6 zone identifiers are not supported.'],
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

describe('normalizeIndicator: user-info is never kept', () => {
  it.each<[string, IndicatorType, string, string]>([
    ['http://user:secret@example.com/', 'url', 'http://example.com/', 'http://example.com/'],
    [
      'https://ghp_token@evil-example.com/repo',
      'url',
      'https://evil-example.com/repo',
      'https://evil-example.com/repo',
    ],
    [
      'http://bank.example.com@evil-example.com/login',
      'url',
      'http://evil-example.com/login',
      'http://evil-example.com/login',
    ],
    ['hxxp://admin:se[.]cret[at]evil[.]com/x', 'url', 'hxxp://evil[.]com/x', 'http://evil.com/x'],
    [
      'ftp://anonymous:guest@files.evil-example.com:21/pub',
      'url',
      'ftp://files.evil-example.com:21/pub',
      'ftp://files.evil-example.com/pub',
    ],
    ['admin:secret@files.evil-example.com', 'domain', 'files.evil-example.com', 'files.evil-example.com'],
    ['admin:secret@files.evil-example.com:21/pub', 'domain', 'files.evil-example.com', 'files.evil-example.com'],
    ['root:toor@203.0.113[.]9:22', 'ipv4', '203.0.113[.]9', '203.0.113.9'],
    ['mailto:Bad@Evil-Example.com', 'email', 'mailto:Bad@Evil-Example.com', 'bad@evil-example.com'],
  ])('%j is %s, raw %j, value %j', (raw, type, shown, value) => {
    expect(normalizeIndicator(raw)).toEqual({ ok: true, indicator: { raw: shown, type, value } });
  });

  it('keeps no credential in a rejection either', () => {
    expect(normalizeIndicator('admin:secret@localhost')).toEqual({
      ok: false,
      rejected: { raw: 'localhost', reason: 'unrecognized', message: 'Value is not a recognized indicator.' },
    });
    expect(normalizeIndicator('admin:secret@files.evil-example.com', 'email')).toEqual({
      ok: false,
      rejected: {
        raw: 'files.evil-example.com',
        reason: 'type_mismatch',
        message: 'Expected an email address but the value is a domain name.',
        declaredType: 'email',
      },
    });
    const long = normalizeIndicator(`http://admin:secret@example.com/${'a'.repeat(2100)}`);
    expect(long.ok).toBe(false);
    expect(JSON.stringify(long)).not.toContain('secret');
  });

  it.each([
    ['http://admin:secret@evil-example.com/x', 'http://evil-example.com/x'],
    ['hxxps://u:p[@]evil[.]com', 'hxxps://evil[.]com'],
    ['admin:secret@host.example', 'host.example'],
    ['bad@evil-example.com', 'bad@evil-example.com'],
    ['http://evil-example.com/@user', 'http://evil-example.com/@user'],
    ['evil-example.com/a:b@c', 'evil-example.com/a:b@c'],
  ])('withoutCredentials(%j) === %j', (raw, shown) => {
    expect(withoutCredentials(raw)).toBe(shown);
  });
});

describe('normalizeIndicator: Arabic-Indic digits in addresses', () => {
  it.each<[string, IndicatorType, string]>([
    ['\u0662\u0660\u0663.\u0660.\u0661\u0661\u0663.\u0665', 'ipv4', '203.0.113.5'],
    ['\u06f2\u06f0\u06f3.\u06f0.\u06f1\u06f1\u06f3.\u06f5', 'ipv4', '203.0.113.5'],
    ['\u0662\u0660\u0663\u066b\u0660\u066b\u0661\u0661\u0663\u066b\u0665', 'ipv4', '203.0.113.5'],
    ['\u0661\u0669\u0668.\u0665\u0661.\u0661\u0660\u0660.\u0667\u0667/\u0662\u0664', 'cidr', '198.51.100.0/24'],
    ['\u0662\u0660\u0663.\u0660.\u0661\u0661\u0663[.]\u0665\u060c', 'ipv4', '203.0.113.5'],
    ['fe\u0668\u0660::\u0661', 'ipv6', 'fe80::1'],
  ])('%j is %s %j', (raw, type, value) => {
    expect(normalizeIndicator(raw)).toEqual({ ok: true, indicator: { raw, type, value } });
  });

  it.each([
    // mixed with ASCII digits, or the two Arabic digit sets mixed
    ['\u0662\u0660\u0663.0.113.5'],
    ['\u0662\u0660\u0663.\u06f0.\u0661\u0661\u0663.\u0665'],
    // not an address
    ['\u0661\u0662\u0663'],
    ['CVE-\u0662\u0660\u0662\u0664-\u0663\u0660\u0669\u0664'],
  ])('%j is not an indicator', (raw) => {
    expect(normalizeIndicator(raw).ok).toBe(false);
  });
});
