import { STIX_PATTERN_MAX_NESTING, readStixPattern, stixHashType, type StixPatternIndicator } from './stix-pattern';

const SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';
const SHA512 =
  'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e';

describe('readStixPattern: mapped patterns', () => {
  const cases: [string, StixPatternIndicator[]][] = [
    ["[ipv4-addr:value = '203.0.113.7']", [{ type: 'ipv4', value: '203.0.113.7' }]],
    ["[ipv4-addr:value = '203.0.113.0/24']", [{ type: 'cidr', value: '203.0.113.0/24' }]],
    ["[ipv4-addr:value ISSUBSET '198.51.100.0/24']", [{ type: 'cidr', value: '198.51.100.0/24' }]],
    ["[ipv6-addr:value = '2001:db8::7']", [{ type: 'ipv6', value: '2001:db8::7' }]],
    ["[ipv6-addr:value = '2001:db8::/32']", [{ type: 'cidr', value: '2001:db8::/32' }]],
    ["[ipv6-addr:value ISSUBSET '2001:db8:1::/48']", [{ type: 'cidr', value: '2001:db8:1::/48' }]],
    ["[domain-name:value = 'evil.example']", [{ type: 'domain', value: 'evil.example' }]],
    ["[url:value = 'http://evil.example/a?b=c']", [{ type: 'url', value: 'http://evil.example/a?b=c' }]],
    ["[email-addr:value = 'ops@evil.example']", [{ type: 'email', value: 'ops@evil.example' }]],
    [
      "[file:hashes.MD5 = '44d88612fea8a8f36de82e1278abb02f']",
      [{ type: 'md5', value: '44d88612fea8a8f36de82e1278abb02f' }],
    ],
    [
      "[file:hashes.'MD5' = '44d88612fea8a8f36de82e1278abb02f']",
      [{ type: 'md5', value: '44d88612fea8a8f36de82e1278abb02f' }],
    ],
    [
      "[file:hashes.'SHA-1' = '3395856ce81f2b7382dee72602f798b642f14140']",
      [{ type: 'sha1', value: '3395856ce81f2b7382dee72602f798b642f14140' }],
    ],
    [`[file:hashes.'SHA-256' = '${SHA256}']`, [{ type: 'sha256', value: SHA256 }]],
    [`[file:hashes.SHA256 = '${SHA256}']`, [{ type: 'sha256', value: SHA256 }]],
    [`[file:hashes.'SHA-512' = '${SHA512}']`, [{ type: 'sha512', value: SHA512 }]],
    ['[autonomous-system:number = 64500]', [{ type: 'asn', value: 'AS64500' }]],
    // Escapes: \' and \\ inside a string literal (§9.2).
    ["[url:value = 'http://evil.example/it\\'s']", [{ type: 'url', value: "http://evil.example/it's" }]],
    ["[url:value = 'http://evil.example/a\\\\b']", [{ type: 'url', value: 'http://evil.example/a\\b' }]],
    // ORs inside one observation, between observations, and in parentheses.
    [
      "[domain-name:value = 'a.example' OR domain-name:value = 'b.example']",
      [
        { type: 'domain', value: 'a.example' },
        { type: 'domain', value: 'b.example' },
      ],
    ],
    [
      "[ipv4-addr:value = '192.0.2.1'] OR [url:value = 'http://c.example/']",
      [
        { type: 'ipv4', value: '192.0.2.1' },
        { type: 'url', value: 'http://c.example/' },
      ],
    ],
    [
      "([ipv4-addr:value = '192.0.2.1'] OR ([domain-name:value = 'c.example']))",
      [
        { type: 'ipv4', value: '192.0.2.1' },
        { type: 'domain', value: 'c.example' },
      ],
    ],
    [
      "[(email-addr:value = 'a@x.example' OR email-addr:value = 'b@x.example')]",
      [
        { type: 'email', value: 'a@x.example' },
        { type: 'email', value: 'b@x.example' },
      ],
    ],
    [
      "[domain-name:value IN ('a.example', 'b.example')]",
      [
        { type: 'domain', value: 'a.example' },
        { type: 'domain', value: 'b.example' },
      ],
    ],
    // Qualifiers are accepted and ignored.
    ["[ipv4-addr:value = '192.0.2.9'] WITHIN 300 SECONDS", [{ type: 'ipv4', value: '192.0.2.9' }]],
    [
      "[ipv4-addr:value = '192.0.2.9'] START t'2026-01-01T00:00:00Z' STOP t'2026-02-01T00:00:00Z'",
      [{ type: 'ipv4', value: '192.0.2.9' }],
    ],
    ["[ipv4-addr:value = '192.0.2.9'] REPEATS 5 TIMES WITHIN 1.5 SECONDS", [{ type: 'ipv4', value: '192.0.2.9' }]],
    // Whitespace, including line breaks, is free.
    ["\n [ domain-name:value='tight.example' ]\t", [{ type: 'domain', value: 'tight.example' }]],
  ];

  it.each(cases)('%s', (pattern, indicators) => {
    expect(readStixPattern(pattern)).toEqual({ mapped: true, indicators });
  });
});

describe('readStixPattern: unmapped patterns, with the reason', () => {
  const cases: [string, RegExp][] = [
    ["[ipv4-addr:value = '203.0.113.9' AND network-traffic:dst_port = 443]", /AND/],
    ["[domain-name:value = 'a.example'] AND [domain-name:value = 'b.example']", /observations with AND/],
    ["[domain-name:value = 'a.example'] FOLLOWEDBY [url:value = 'http://b.example/']", /FOLLOWEDBY/],
    ["[process:name = 'loader.exe']", /process:name/],
    ['[network-traffic:dst_port = 443]', /network-traffic:dst_port/],
    ["[file:name = 'invoice.exe']", /file:name/],
    ["[file:hashes.'SSDEEP' = '3:abc:def']", /file:hashes.SSDEEP/],
    ["[ipv4-addr:value != '203.0.113.7']", /!=/],
    ["[ipv4-addr:value NOT = '203.0.113.7']", /NOT/],
    ["[domain-name:value LIKE '%.example']", /LIKE/],
    ["[url:value MATCHES '^http://']", /MATCHES/],
    ["[domain-name:value ISSUBSET 'example']", /ISSUBSET/],
    ["[autonomous-system:number = '64500']", /AS number/],
    ['[autonomous-system:number = 64500.5]', /AS number/],
    ['[ipv4-addr:value = 3405803783]', /other than a string/],
    ['[EXISTS ipv4-addr:value]', /EXISTS/],
    // One unmappable comparison makes the whole pattern unmapped.
    ["[ipv4-addr:value = '192.0.2.1'] OR [process:pid = 4]", /process:pid/],
    // Malformed.
    ["[ipv4-addr:value = '203.0.113.7'", /malformed/],
    ["ipv4-addr:value = '203.0.113.7'", /malformed/],
    ["[ipv4-addr:value = '203.0.113.7]", /malformed pattern: unterminated string/],
    ["[url:value = 'a\\nb']", /malformed pattern: unknown escape/],
    ["[ipv4-addr:value = '192.0.2.1'] WITHIN SECONDS", /malformed/],
    ["[ipv4-addr:value = '192.0.2.1'] START '2026' STOP '2027'", /malformed/],
    ["[ipv4-addr:value = '192.0.2.1'] or [url:value = 'x']", /malformed/],
    ["[file:hashes.SHA-256 = 'abc']", /malformed/],
    ['', /malformed/],
    ['[]', /malformed/],
    ["[ipv4-addr:value = '1'] garbage", /malformed/],
  ];

  it.each(cases)('%s', (pattern, reason) => {
    const reading = readStixPattern(pattern);
    expect(reading.mapped).toBe(false);
    if (!reading.mapped) expect(reading.reason).toMatch(reason);
  });

  it('never throws, whatever it is given', () => {
    for (const input of [undefined, null, 42, '[[[[', "'", '\\', ']]]', '[a:b = ']) {
      expect(() => readStixPattern(input as unknown as string)).not.toThrow();
      expect(readStixPattern(input as unknown as string).mapped).toBe(false);
    }
  });
});

describe('stixHashType', () => {
  it('maps the hash-algorithm-ov names Corridor holds, with or without hyphen, in any case', () => {
    expect(['MD5', 'SHA-1', 'sha1', 'SHA-256', 'SHA256', 'SHA-512', 'sha512'].map(stixHashType)).toEqual([
      'md5',
      'sha1',
      'sha1',
      'sha256',
      'sha256',
      'sha512',
      'sha512',
    ]);
    expect(stixHashType('SSDEEP')).toBeUndefined();
    expect(stixHashType('SHA3-256')).toBeUndefined();
  });
});

describe('readStixPattern: nesting', () => {
  it('reads parentheses up to the limit and calls deeper ones unmapped, never overflowing the stack', () => {
    const nest = (n: number, inner: string) => `${'('.repeat(n)}${inner}${')'.repeat(n)}`;
    const observation = "[ipv4-addr:value = '45.9.149.14']";
    expect(readStixPattern(nest(STIX_PATTERN_MAX_NESTING, observation))).toMatchObject({ mapped: true });
    for (const depth of [STIX_PATTERN_MAX_NESTING + 1, 3000, 100_000]) {
      const read = readStixPattern(nest(depth, observation));
      expect(read).toMatchObject({ mapped: false, reason: expect.stringMatching(/nested deeper/) });
    }
    const comparison = "[(((ipv4-addr:value = '45.9.149.14')))]";
    expect(readStixPattern(comparison)).toMatchObject({ mapped: true });
    expect(readStixPattern(`[${nest(3000, "ipv4-addr:value = '45.9.149.14'")}]`)).toMatchObject({ mapped: false });
  });
});
