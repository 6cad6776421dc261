import { extractIndicators, MAX_EXTRACTED_INDICATORS } from './extract';
import { normalizeIndicator } from './normalize';

const SHA256 = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855';

const INCIDENT = `On 2024-03-01 at 10:30 UTC the SOC saw beacons from 203.0.113[.]7 and 203[.]0[.]113[.]8
to hxxp://evil-example[.]com/path. Phishing came from "bad[at]evil-example[.]com", exploiting CVE-2024-3094
(xz backdoor). Upstream AS64500 announced 2001:db8::1; we blocked 198.51.100.0/24.
The dropper (MD5 D41D8CD98F00B204E9800998ECF8427E) was attached as invoice.pdf, e.g. in version 1.2.3.
Reported by soc@example.org. Again: hxxp://evil-example[.]com/path and 203.0.113.7.`;

describe('extractIndicators', () => {
  it('finds every defanged indicator of an incident description, in order, once', () => {
    expect(extractIndicators(INCIDENT)).toEqual([
      '203.0.113[.]7',
      '203[.]0[.]113[.]8',
      'hxxp://evil-example[.]com/path',
      'bad[at]evil-example[.]com',
      'CVE-2024-3094',
      'AS64500',
      '2001:db8::1',
      '198.51.100.0/24',
      'D41D8CD98F00B204E9800998ECF8427E',
      'soc@example.org',
    ]);
  });

  it.each<[string, string[]]>([
    ['Beacon to 203.0.113[.]7 observed', ['203.0.113[.]7']],
    ['Beacon to 203[.]0[.]113[.]7 observed', ['203[.]0[.]113[.]7']],
    ['mail from bad[at]evil-example[.]com today', ['bad[at]evil-example[.]com']],
    ['patched CVE-2024-3094.', ['CVE-2024-3094']],
    ['prefix AS64500, peer ASN64501', ['AS64500', 'ASN64501']],
    ['resolves to 2001:db8::1.', ['2001:db8::1']],
    ['block 198.51.100.0/24 now', ['198.51.100.0/24']],
    ['hash: ' + SHA256, [SHA256]],
    ['(hxxps://evil-example[.]com/login).', ['hxxps://evil-example[.]com/login']],
    ['[click here](http://example.net/x)', ['http://example.net/x']],
    ['IOC:hxxp://evil-example[.]com/a', ['hxxp://evil-example[.]com/a']],
    ['ip:192.0.2.44 sha256=' + SHA256, ['192.0.2.44', SHA256]],
    ['C2 at 203.0.113.9:443', ['203.0.113.9']],
    [
      'C2 at [2001:db8::7]:8443, [fe80::1]:22 and evil-example[.]com:8080',
      ['2001:db8::7', 'fe80::1', 'evil-example[.]com'],
    ],
    ['payload at evil-example[.]org/payload.exe', ['evil-example[.]org']],
    ['served by evil-example[ dot ]net', ['evil-example[ dot ]net']],
    ['<http://example.com/>', ['http://example.com/']],
    ['see http://example.com/wiki/Foo_(bar) for details', ['http://example.com/wiki/Foo_(bar)']],
    ['evil-example[.]zip is not invoice.zip', ['evil-example[.]zip']],
    [
      'host b\u00fccher.de and \u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444',
      ['b\u00fccher.de', '\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444'],
    ],
    ['203.0.113.7 203.0.113[.]7 203[.]0[.]113[.]7', ['203.0.113.7']],
    ['hxxp://evil-example[.]com/path and http://EVIL-EXAMPLE.com:80/path', ['hxxp://evil-example[.]com/path']],
  ])('extracts from %j', (text, expected) => {
    expect(extractIndicators(text)).toEqual(expected);
  });

  it.each([
    ['Hello, world. This is fine.'],
    ['e.g. and i.e. are abbreviations, as are U.S. and etc.'],
    ['open invoice.pdf and README.md, then run main.py or setup.sh'],
    ['meeting at 10:30 or 10:30:45'],
    ['upgrade to 1.2.3 or v2.0.1'],
    ['on 2024-03-01, 01.03.2024 and 03/01/2024'],
    ['costs $1.50 (3.14 %)'],
    ['std::vector, a::b and :: in C++'],
    ['MAC 00:1a:2b:3c:4d:5e'],
    ['We finished.Next we slept.'],
    ['see javascript:alert(1)'],
    ['localhost and evil.example'],
    ['empty http:// and hxxp://'],
    ['999.1.1.1 and 01.02.03.04 and 198.51.100.0/33'],
    [''],
  ])('finds nothing in %j', (text) => {
    expect(extractIndicators(text)).toEqual([]);
  });

  it('returns only values that normalize, and no two with the same canonical value', () => {
    const found = extractIndicators(INCIDENT);
    const values = found.map((raw) => {
      const result = normalizeIndicator(raw);
      return result.ok ? result.indicator.value : `rejected:${raw}`;
    });
    expect(values).toEqual([
      '203.0.113.7',
      '203.0.113.8',
      'http://evil-example.com/path',
      'bad@evil-example.com',
      'CVE-2024-3094',
      'AS64500',
      '2001:db8::1',
      '198.51.100.0/24',
      'd41d8cd98f00b204e9800998ecf8427e',
      'soc@example.org',
    ]);
  });

  it(`stops after ${MAX_EXTRACTED_INDICATORS} indicators`, () => {
    const ips: string[] = [];
    for (let i = 0; i < 1500; i++) ips.push(`10.0.${i >> 8}.${i & 255}`);
    const found = extractIndicators(ips.join(' '));
    expect(found.length).toBe(1000);
    expect(found[0]).toBe('10.0.0.0');
    expect(found[999]).toBe('10.0.3.231');
  });

  it('handles a 200 KB incident log', () => {
    const text = `${INCIDENT}\n`.repeat(Math.ceil(200_000 / INCIDENT.length));
    expect(text.length).toBeGreaterThan(200_000);
    expect(extractIndicators(text)).toEqual(extractIndicators(INCIDENT));
  });

  it.each([
    ['one huge word', 'a'.repeat(1_000_000)],
    ['open brackets', '[ '.repeat(300_000)],
    ['dotted numbers', '1.'.repeat(300_000)],
    ['nested parentheses', `${'('.repeat(3000)} `.repeat(200)],
    ['defang markers', `${'[.]'.repeat(1000)} `.repeat(200)],
    ['schemes', `${'hxxp:'.repeat(600)} `.repeat(200)],
  ])('survives pathological input: %s', (_name, text) => {
    expect(extractIndicators(text)).toEqual([]);
  });
});
