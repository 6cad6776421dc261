import fc from 'fast-check';
import { defang } from './defang';
import { extractIndicators, MAX_EXTRACTED_INDICATORS } from './extract';
import type { IndicatorType } from './indicator-type';
import { normalizeIndicator } from './normalize';
import { refang } from './refang';

// ------------------------------------------------------------------ indicator generators

const LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789';
const letter = fc.constantFrom(...LETTERS);
const ldhLabel = fc
  .tuple(letter, fc.array(fc.constantFrom(...LETTERS, '-'), { maxLength: 10 }), letter)
  .map(([first, middle, last]) => `${first}${middle.join('')}${last}`)
  .filter((label) => !label.includes('--'));
const idnLabel = fc.constantFrom(
  'b\u00fccher',
  '\u043f\u0440\u0438\u043c\u0435\u0440',
  '\u0645\u062b\u0627\u0644',
  'stra\u00dfe',
  '\u4f8b\u3048',
);
const serviceLabel = fc.constantFrom('_sip', '_tls', '_dmarc', 'x_y');
const suffix = fc.constantFrom('com', 'org', 'net', 'de', 'co.uk', 'sa', 'pk', 'info', 'io', '\u0440\u0444', 'gov.pk');
const mixedCase = (text: string) =>
  fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((upper) => [...text].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch)).join(''));

// Mixed case left of the suffix; the suffix in lower or upper case ("finished.It" is a sentence).
const domain = fc
  .tuple(
    fc.array(fc.oneof(ldhLabel, serviceLabel), { maxLength: 2 }),
    fc.oneof(ldhLabel, ldhLabel, idnLabel),
    suffix,
    fc.boolean(),
  )
  .chain(([subs, registrable, tld, upper]) =>
    mixedCase([...subs, registrable].join('.')).map((name) => `${name}.${upper ? tld.toUpperCase() : tld}`),
  );

const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));

const word16 = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
const ipv6 = fc.oneof(
  fc.array(word16, { minLength: 8, maxLength: 8 }).map((w) => w.map((x) => x.toString(16)).join(':')),
  ipv4.map((v4) => `::ffff:${v4}`),
  ipv4.map((v4) => `64:ff9b::${v4}`),
  fc.constantFrom('::', '::1', 'fe80::1', '2001:db8::'),
);

const cidr = fc.oneof(
  fc.tuple(ipv4, fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`),
  fc.tuple(ipv6, fc.integer({ min: 0, max: 128 })).map(([a, p]) => `${a}/${p}`),
);

// RFC 3986 path characters without brackets (unbalanced ones end a URL in prose) and '%'.
const pathChar = fc.constantFrom(..."abcXYZ019-._~!$&'*+,;=:@", '%2F', '%7e', '%41', '%e2%82%ac', ' ', '\\');
const segment = fc.array(pathChar, { maxLength: 6 }).map((c) => c.join(''));
const url = fc
  .record({
    scheme: fc.constantFrom('http', 'https', 'ftp', 'ws', 'wss', 'ftps', 'sftp', 'HTTP'),
    userinfo: fc.constantFrom('', 'user@', 'user:secret@'),
    host: fc.oneof(
      domain,
      domain,
      ipv4,
      ipv6.map((v6) => `[${v6}]`),
    ),
    port: fc.constantFrom('', ':80', ':443', ':8080', ':21'),
    path: fc.array(segment, { maxLength: 3 }).map((s) => (s.length ? `/${s.join('/')}` : '')),
    query: fc.option(
      segment.map((q) => `?${q}`),
      { nil: '' },
    ),
    fragment: fc.option(
      segment.map((f) => `#${f}`),
      { nil: '' },
    ),
  })
  .map((u) => `${u.scheme}://${u.userinfo}${u.host}${u.port}${u.path}${u.query}${u.fragment}`);

/** In prose, ",x://" or ";x://" inside a URL starts a second URL (see extractIndicators). */
const readsAsTwoUrls = (value: string) => /[,;][a-z0-9+.*_-]*:\/\//i.test(value.slice(value.indexOf('://') + 3));

const email = fc
  .tuple(fc.array(ldhLabel, { minLength: 1, maxLength: 2 }), domain)
  .map(([local, host]) => `${local.join('.')}@${host}`);

const hex = (length: number) =>
  fc
    .array(fc.constantFrom(...'0123456789abcdefABCDEF'), { minLength: length, maxLength: length })
    .map((c) => c.join(''));
const cve = fc
  .tuple(fc.integer({ min: 1999, max: 2030 }), fc.integer({ min: 1, max: 9_999_999 }))
  .map(([year, n]) => `cve-${year}-${String(n).padStart(4, '0')}`);
const asn = fc.integer({ min: 0, max: 4294967295 }).map((n) => `as${n}`);

const INDICATORS: Readonly<Record<IndicatorType, fc.Arbitrary<string>>> = {
  ipv4,
  ipv6,
  cidr,
  domain,
  url,
  email,
  md5: hex(32),
  sha1: hex(40),
  sha256: hex(64),
  sha512: hex(128),
  cve,
  asn,
};

const anyIndicator = fc.oneof(...Object.values(INDICATORS));

/** The canonical value of a generated indicator, or undefined when the generator made an invalid one. */
function canonical(raw: string): { type: IndicatorType; value: string } | undefined {
  const result = normalizeIndicator(raw);
  return result.ok ? { type: result.indicator.type, value: result.indicator.value } : undefined;
}

// ------------------------------------------------------------------ canonical forms

describe('canonical forms (properties)', () => {
  it.each(Object.entries(INDICATORS))('the generator for %s makes valid indicators of that type', (type, arb) => {
    fc.assert(
      fc.property(arb, (raw) => {
        expect(canonical(raw)?.type).toBe(type);
      }),
      { numRuns: 200 },
    );
  });

  it('is idempotent: canonical(canonical(x)) = canonical(x), same type', () => {
    fc.assert(
      fc.property(anyIndicator, (raw) => {
        const once = canonical(raw);
        if (once === undefined) return;
        expect(canonical(once.value)).toEqual(once);
      }),
      { numRuns: 3000 },
    );
  });

  it('refang(defang(x)) = x for every canonical value of every type', () => {
    for (const arb of Object.values(INDICATORS)) {
      fc.assert(
        fc.property(arb, (raw) => {
          const once = canonical(raw);
          if (once === undefined) return;
          const defanged = defang(once.value, once.type);
          expect(refang(defanged)).toBe(once.value);
          expect(canonical(defanged)).toEqual(once);
        }),
        { numRuns: 300 },
      );
    }
  });

  it('never keeps the password of a URL, in the value or the raw form', () => {
    fc.assert(
      fc.property(url, (raw) => {
        const result = normalizeIndicator(raw);
        expect(JSON.stringify(result)).not.toContain('secret');
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent on arbitrary strings of indicator characters and defang fragments', () => {
    const urlish = fc
      .tuple(fc.constantFrom('http://', 'hxxp[://]', 'h[tt]ps://', 'ftp://', 'sftp://', 'ws://'), fragments)
      .map(([scheme, rest]) => `${scheme}${rest}`);
    fc.assert(
      fc.property(fc.oneof(fragments, urlish, fc.string({ unit: 'binary', maxLength: 40 })), (raw) => {
        const once = canonical(raw);
        if (once === undefined) return;
        expect(canonical(once.value)).toEqual(once);
      }),
      { numRuns: 3000 },
    );
  });
});

// ------------------------------------------------------------------ refang and extraction on hostile text

const FRAGMENTS = [
  '[',
  ']',
  '(',
  ')',
  '{',
  '}',
  '[.]',
  '(.)',
  '[dot]',
  '[at]',
  '[@]',
  '[:]',
  '[://]',
  '[/]',
  '.',
  ':',
  '/',
  '//',
  '://',
  '@',
  '\\',
  '\\.',
  '%',
  '%2e',
  '?',
  '#',
  ',',
  ';',
  "'",
  '"',
  '*',
  '<',
  '>',
  ' ',
  '  ',
  '\n',
  'hxxp',
  'h[tt]p',
  'hxtp',
  'http',
  'https',
  'fxp',
  'meow',
  'tcp',
  'mailto:',
  'admin:',
  'x',
  'com',
  'example',
  'evil',
  '1',
  '203',
  '0',
  '255',
  '::',
  'ffff',
  'fe80',
  '%eth0',
  'xn--',
  '_',
  '-',
  'v',
  'version',
  'a\u0660',
  '\u0662',
  '\u06f5',
  '\u066b',
  '\u060c',
  '\u061b',
  '\u061f',
  '\u06d4',
  '\u200f',
  '\u200b',
  '\u2067',
  '\u2069',
  '\ufeff',
  '\u3002',
  '\uff0e',
  'b\u00fccher',
  '\u0645\u062b\u0627\u0644',
  '|',
  '`',
  '=',
  '&',
];
const fragments = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((parts) => parts.join(''));

describe('refang (properties)', () => {
  it('is idempotent on arbitrary mixes of defang fragments', () => {
    fc.assert(
      fc.property(fragments, (raw) => {
        const once = refang(raw);
        expect(refang(once)).toBe(once);
      }),
      { numRuns: 5000 },
    );
  });

  it('is idempotent on arbitrary Unicode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (raw) => {
        const once = refang(raw);
        expect(refang(once)).toBe(once);
      }),
      { numRuns: 3000 },
    );
  });
});

/** Adversarial shapes: deep and unbalanced nesting, long runs of separators and of schemes. */
const hostile = fc.oneof(
  fragments,
  fc
    .tuple(
      fc.constantFrom('[', '(', '{', '[[', '(['),
      fc.integer({ min: 1, max: 300 }),
      fc.constantFrom('.', 'dot', '@', ':'),
    )
    .map(([open, depth, mark]) => {
      const close = [...open]
        .reverse()
        .map((c) => ({ '[': ']', '(': ')', '{': '}' })[c] ?? c)
        .join('');
      return `evil${open.repeat(depth)}${mark}${close.repeat(depth)}com`;
    }),
  fc
    .tuple(fc.constantFrom(...FRAGMENTS), fc.integer({ min: 1, max: 500 }))
    .map(([piece, times]) => piece.repeat(times)),
);

describe('extractIndicators (properties)', () => {
  it('returns only values that normalize, each canonical value once, never more than the cap', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const found = extractIndicators(text);
        expect(found.length).toBeLessThanOrEqual(MAX_EXTRACTED_INDICATORS);
        const values = found.map((raw) => canonical(raw)?.value);
        expect(values).not.toContain(undefined);
        expect(new Set(values).size).toBe(values.length);
      }),
      { numRuns: 1500 },
    );
  });

  it('finds an indicator planted between words of hostile text', () => {
    fc.assert(
      fc.property(hostile, anyIndicator, hostile, fc.boolean(), (before, raw, after, defanged) => {
        const expected = canonical(raw);
        if (expected === undefined) return;
        // A raw form with a space in it is two words in prose; its canonical form has none.
        const planted = defanged ? defang(expected.value, expected.type) : /\s/.test(raw) ? expected.value : raw;
        // Documented exception: in prose, an IPv6 address without a digit ("::", "add::beef") is code.
        if (expected.type === 'ipv6' && !/\d/.test(planted)) return;
        if (expected.type === 'url' && (readsAsTwoUrls(expected.value) || readsAsTwoUrls(planted))) return;
        const found = extractIndicators(`${before} seen ${planted} here ${after}`).map((r) => canonical(r)?.value);
        expect(found).toContain(expected.value);
      }),
      { numRuns: 1500 },
    );
  });

  it('finds a URL that ends a sentence or sits in brackets or quotes, whole', () => {
    const around = fc.constantFrom<[string, string]>(
      ['See ', ', then.'],
      ['See ', '; then.'],
      ['See ', '.'],
      ['(see ', ').'],
      ['"', '"'],
      ["'", "',"],
      ['<', '>'],
      ['[link](', ')'],
      ['\u062a\u0645 ', '\u060c \u062b\u0645'],
      ['\u200f', '\u200f\u06d4'],
    );
    fc.assert(
      fc.property(url, around, (raw, [open, close]) => {
        const expected = canonical(raw);
        if (expected === undefined || readsAsTwoUrls(expected.value)) return;
        const found = extractIndicators(`${open}${expected.value}${close}`).map((r) => canonical(r)?.value);
        expect(found).toEqual([expected.value]);
      }),
      { numRuns: 1500 },
    );
  });
});
