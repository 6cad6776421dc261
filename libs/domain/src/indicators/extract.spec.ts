import { extractIndicators, MAX_EXTRACTED_INDICATORS } from './extract';
import { normalizeIndicator } from './normalize';

const canonical = (raw: string): string => {
  const result = normalizeIndicator(raw);
  return result.ok ? result.indicator.value : `rejected:${raw}`;
};

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

  describe('defanged schemes and their hosts', () => {
    it.each<[string, string[], string[]]>([
      ['C2 at h[tt]p://a[.]example.com/x now', ['h[tt]p://a[.]example.com/x'], ['http://a.example.com/x']],
      ['C2 at h[tt]ps://a[.]example.com/x now', ['h[tt]ps://a[.]example.com/x'], ['https://a.example.com/x']],
      ['C2 at hxtp://a[.]example.com/ now', ['hxtp://a[.]example.com/'], ['http://a.example.com/']],
      ['C2 at htxp://a[.]example.com/ now', ['htxp://a[.]example.com/'], ['http://a.example.com/']],
      ['C2 at h**ps://a[.]example.com/ now', ['h**ps://a[.]example.com/'], ['https://a.example.com/']],
      ['C2 at meow://a[.]example.com/ now', ['meow://a[.]example.com/'], ['http://a.example.com/']],
      ['C2 at [hxxp://]a[.]example.com/x now', ['[hxxp://]a[.]example.com/x'], ['http://a.example.com/x']],
      ['C2 at hxxps[://]a[.]example.com now', ['hxxps[://]a[.]example.com'], ['https://a.example.com/']],
      ['"url":"http:\\/\\/a.example.com\\/x"', ['http:\\/\\/a.example.com\\/x'], ['http://a.example.com/x']],
      // an unknown scheme: the host is still there
      ['C2 at xxxx://a[.]example.com/x now', ['a[.]example.com'], ['a.example.com']],
      ['beacon tcp://203.0.113[.]9:4444', ['203.0.113[.]9'], ['203.0.113.9']],
      ['share smb://files.evil-example.com/c$', ['files.evil-example.com'], ['files.evil-example.com']],
      ['tcp://[2001:db8::9]:443 then', ['2001:db8::9'], ['2001:db8::9']],
      ['hxtp://admin:pw@a[.]example.com/', ['hxtp://a[.]example.com/'], ['http://a.example.com/']],
      ['zzzz://admin:pw@a[.]example.com/', ['a[.]example.com'], ['a.example.com']],
    ])('%j', (text, raws, values) => {
      expect(extractIndicators(text)).toEqual(raws);
      expect(raws.map(canonical)).toEqual(values);
    });
  });

  describe('where a URL ends in prose', () => {
    const URL = 'http://example.com/x;y';
    it.each([
      [`See ${URL}, then reload.`],
      [`See ${URL}; then reload.`],
      [`See ${URL}.`],
      [`See ${URL}. Then reload.`],
      [`(see ${URL})`],
      [`(see ${URL}).`],
      [`[see ${URL}]`],
      [`"${URL}"`],
      [`'${URL}'`],
      [`\u201c${URL}\u201d`],
      [`\u00ab${URL}\u00bb`],
      [`<${URL}>`],
      [`Is it ${URL}?`],
      [`It is ${URL}!`],
      [`Link: ${URL}:`],
      [`**${URL}**`],
      [`[link](${URL})`],
      [`${URL}\u060c \u062b\u0645`],
      [`${URL}\u061b`],
      [`${URL}\u06d4`],
    ])('%j gives the whole URL', (text) => {
      expect(extractIndicators(text)).toEqual([URL]);
    });

    it.each<[string, string[]]>([
      ['keep http://example.com/a,b;c=d,e and go', ['http://example.com/a,b;c=d,e']],
      ['query http://example.com/?a=1,2;b=3, fine', ['http://example.com/?a=1,2;b=3']],
      ['wiki http://example.com/wiki/Foo_(bar), fine', ['http://example.com/wiki/Foo_(bar)']],
      ['(wiki http://example.com/wiki/Foo_(bar))', ['http://example.com/wiki/Foo_(bar)']],
      ['two http://a.example.com/x,http://b.example.com/y', ['http://a.example.com/x', 'http://b.example.com/y']],
      ['two http://a.example.com/x;hxxp://b[.]example.com/y;', ['http://a.example.com/x', 'hxxp://b[.]example.com/y']],
      ['[http://a.example.com/](http://b.example.com/)', ['http://a.example.com/', 'http://b.example.com/']],
      [
        'redirect http://a.example.com/r?u=http://b.example.com/y,',
        ['http://a.example.com/r?u=http://b.example.com/y'],
      ],
      ['hosts http://a.example.com,b.example.com', ['http://a.example.com', 'b.example.com']],
      ['hosts http://a.example.com;203.0.113.7', ['http://a.example.com', '203.0.113.7']],
      ["hosts 'http://a.example.com/','http://b.example.com/'", ['http://a.example.com/', 'http://b.example.com/']],
      ['the query http://example.com/?q=a\\.b stays', ['http://example.com/?q=a\\.b']],
      ['IOC:hxxp://evil-example[.]com/a,', ['hxxp://evil-example[.]com/a']],
    ])('%j', (text, expected) => {
      expect(extractIndicators(text)).toEqual(expected);
    });

    it('keeps the query bytes of a URL through normalization', () => {
      expect(extractIndicators('at http://example.com/?q=a\\.b.').map(canonical)).toEqual([
        'http://example.com/?q=a\\.b',
      ]);
    });
  });

  describe('credentials', () => {
    it.each<[string, string[]]>([
      ['ftp login admin:secret@files.evil-example.com worked', ['files.evil-example.com']],
      ['login admin:secret@host.example failed', []],
      ['ssh root:toor@203.0.113.9:22', ['203.0.113.9']],
      ['ssh root@203.0.113.9', ['203.0.113.9']],
      ['see http://admin:secret@evil-example.com/x.', ['http://evil-example.com/x']],
      ['see hxxp://admin:secret[@]evil-example[.]com/x.', ['hxxp://evil-example[.]com/x']],
      [
        'From:bad@evil-example.com and mailto:worse@evil-example.com',
        ['bad@evil-example.com', 'worse@evil-example.com'],
      ],
    ])('%j', (text, expected) => {
      const found = extractIndicators(text);
      expect(found).toEqual(expected);
      expect(JSON.stringify(found.map((raw) => normalizeIndicator(raw)))).not.toMatch(/secret|toor/);
    });
  });

  describe('Arabic and Urdu prose', () => {
    it.each<[string, string[]]>([
      // "A scan from 203.0.113.5 was observed, then ..." — Arabic comma right after the address
      ['\u062a\u0645 \u0631\u0635\u062f 203.0.113.5\u060c \u062b\u0645', ['203.0.113.5']],
      // address wrapped in right-to-left marks
      ['\u062a\u0645 \u0631\u0635\u062f \u200f203.0.113.5\u200f \u0645\u0646', ['203.0.113.5']],
      // Arabic semicolon and question mark
      ['\u0647\u0644 evil-example[.]com\u061f \u0648 198.51.100.7\u061b', ['evil-example[.]com', '198.51.100.7']],
      // Urdu full stop after a URL
      [
        '\u0645\u0634\u062a\u0628\u06c1 \u0644\u0646\u06a9 hxxps://login-ministry[.]com/owa\u06d4',
        ['hxxps://login-ministry[.]com/owa'],
      ],
      // Urdu: "the attacker used 198.51.100.23، and the domain ..."
      [
        '\u062d\u0645\u0644\u06c1 \u0622\u0648\u0631 \u0646\u06d2 198.51.100.23\u060c \u0627\u0648\u0631 bad[.]example[.]com \u0627\u0633\u062a\u0639\u0645\u0627\u0644 \u06a9\u06cc\u0627\u06d4',
        ['198.51.100.23', 'bad[.]example[.]com'],
      ],
      // isolates and the Arabic letter mark around addresses
      ['\u2067203.0.113.8\u2069 \u061c2001:db8::8\u061c', ['203.0.113.8', '2001:db8::8']],
      // Arabic-Indic and Extended Arabic-Indic digits in addresses
      [
        '\u0627\u0644\u0639\u0646\u0648\u0627\u0646 \u0662\u0660\u0663.\u0660.\u0661\u0661\u0663.\u0665\u060c \u0648 \u06f1\u06f9\u06f8.\u06f5\u06f1.\u06f1\u06f0\u06f0.\u06f2\u06f3',
        [
          '\u0662\u0660\u0663.\u0660.\u0661\u0661\u0663.\u0665',
          '\u06f1\u06f9\u06f8.\u06f5\u06f1.\u06f1\u06f0\u06f0.\u06f2\u06f3',
        ],
      ],
      // an IDN in Arabic script, and a comma after it
      [
        '\u0627\u0644\u0645\u0648\u0642\u0639 \u0645\u062b\u0627\u0644.\u0627\u0644\u0633\u0639\u0648\u062f\u064a\u0629\u060c \u062b\u0645',
        ['\u0645\u062b\u0627\u0644.\u0627\u0644\u0633\u0639\u0648\u062f\u064a\u0629'],
      ],
      // "version" in Arabic before dotted numbers
      ['\u0627\u0644\u0625\u0635\u062f\u0627\u0631 1.2.3.4 \u0645\u0646 203.0.113.4', ['203.0.113.4']],
    ])('%j', (text, expected) => {
      expect(extractIndicators(text)).toEqual(expected);
    });

    it('gives canonical ASCII addresses for Arabic-Indic digits', () => {
      expect(
        extractIndicators('\u0662\u0660\u0663.\u0660.\u0661\u0661\u0663.\u0665 203.0.113.5').map(canonical),
      ).toEqual(['203.0.113.5']);
    });
  });

  describe('formats of public reports and exchange formats', () => {
    it.each<[string, string[]]>([
      // advisory tables (markdown)
      ['| 203.0.113[.]7 | C2 |\n| evil-example[.]com | phishing |', ['203.0.113[.]7', 'evil-example[.]com']],
      // defanged with brackets around the colon, or around the slashes
      ['Payload: hxxp[:]//198.51.100[.]23/pay.exe', ['hxxp[:]//198.51.100[.]23/pay.exe']],
      ['Payload: hxxp:[//]198.51.100[.]23/pay.exe', ['hxxp:[//]198.51.100[.]23/pay.exe']],
      // STIX patterns
      ["[ipv4-addr:value = '203.0.113.7']", ['203.0.113.7']],
      ["[url:value = 'http://evil-example.com/x;y']", ['http://evil-example.com/x;y']],
      [
        "[domain-name:value = 'evil-example.com'] OR [email-addr:value = 'bad@evil-example.com']",
        ['evil-example.com', 'bad@evil-example.com'],
      ],
      // MISP CSV export and JSON
      ['"domain","evil-example[.]com","Network activity"', ['evil-example[.]com']],
      ['{"ioc":"hxxps://evil-example[.]com/a,b","type":"url"}', ['hxxps://evil-example[.]com/a,b']],
      // firewall and proxy logs
      ['src=203.0.113.7:51515 dst=198.51.100.2:443 proto=tcp', ['203.0.113.7', '198.51.100.2']],
      ['CONNECT evil-example.com:443 HTTP/1.1', ['evil-example.com']],
      // comma- and semicolon-separated lists without spaces
      ['IPs: 203.0.113.7,203.0.113.8;203.0.113.9.', ['203.0.113.7', '203.0.113.8', '203.0.113.9']],
      // hashes with labels
      [
        'SHA256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855,',
        ['E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855'],
      ],
      // CVE and AS numbers at the end of sentences
      ['Exploited CVE-2023-4966; announced by AS64500.', ['CVE-2023-4966', 'AS64500']],
    ])('%j', (text, expected) => {
      expect(extractIndicators(text)).toEqual(expected);
    });
  });

  describe('file names and version numbers', () => {
    it.each([
      ['run setup.exe then readme.md'],
      ['upgrade to v1.2.3.4 today'],
      ['upgrade to version 1.2.3.4 today'],
      ['Version: 10.0.0.1'],
      ['build 10.0.0.1, release 2.4.0.1'],
      ['version=1.2.3.4'],
      ['see main.rs, script.ps and lib.so'],
      ['setup.exe.config and archive.tar.gz'],
      ['Windows 10.0.19041.1'],
      ['a_b.pub is not a domain'],
    ])('finds nothing in %j', (text) => {
      expect(extractIndicators(text)).toEqual([]);
    });

    it.each<[string, string[]]>([
      ['version 1.2.3.4 beacons to 203.0.113[.]4', ['203.0.113[.]4']],
      ['version 203.0.113[.]4', ['203.0.113[.]4']],
      ['_sip._tls.example.org and _dmarc.example.org', ['_sip._tls.example.org', '_dmarc.example.org']],
      ['evil-example[.]md and readme.md', ['evil-example[.]md']],
    ])('%j', (text, expected) => {
      expect(extractIndicators(text)).toEqual(expected);
    });
  });

  describe('IPv6, ports and IDN', () => {
    it.each<[string, string[], string[]]>([
      ['mapped ::ffff:192.0.2.1 seen', ['::ffff:192.0.2.1'], ['::ffff:192.0.2.1']],
      ['NAT64 64:ff9b::c000:221.', ['64:ff9b::c000:221'], ['64:ff9b::192.0.2.33']],
      ['link-local fe80::1%eth0 only', [], []],
      ['http://[2001:db8::1]:8080/a, then', ['http://[2001:db8::1]:8080/a'], ['http://[2001:db8::1]:8080/a']],
      ['[2001:db8::a]:443 and 198.51.100.9:8443', ['2001:db8::a', '198.51.100.9'], ['2001:db8::a', '198.51.100.9']],
      ['evil-example[.]com:8080/x', ['evil-example[.]com'], ['evil-example.com']],
      ['https://b\u00fccher.de/Pfad.', ['https://b\u00fccher.de/Pfad'], ['https://xn--bcher-kva.de/Pfad']],
      ['xn--bcher-kva[.]de', ['xn--bcher-kva[.]de'], ['xn--bcher-kva.de']],
      ['hxxp://ex%61mple[.]com/%7e', ['hxxp://ex%61mple[.]com/%7e'], ['http://example.com/~']],
      ['2001:db8::/32, 203.0.113.0/24;', ['2001:db8::/32', '203.0.113.0/24'], ['2001:db8::/32', '203.0.113.0/24']],
    ])('%j', (text, raws, values) => {
      const found = extractIndicators(text);
      expect(found).toEqual(raws);
      expect(found.map(canonical)).toEqual(values);
    });
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
