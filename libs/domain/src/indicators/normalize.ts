import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import * as ipaddr from 'ipaddr.js';
import { parse as parseHostname } from 'tldts';
import { IndicatorType, isIndicatorType } from './indicator-type';
import { refang } from './refang';
import { hostRange, scanIndicator } from './refang-scan';

/** Longest raw input accepted, before refanging. */
export const MAX_INDICATOR_LENGTH = 2048;

export interface NormalizedIndicator {
  /**
   * The input as given (possibly defanged), except that user-info (`user:password@`) is cut out of it:
   * a credential is never kept with an indicator.
   */
  raw: string;
  type: IndicatorType;
  /** Canonical form: equal values denote the same indicator. */
  value: string;
}

export type RejectReason = 'empty' | 'too_long' | 'unrecognized' | 'type_mismatch' | 'invalid_value';

export interface RejectedIndicator {
  raw: string;
  reason: RejectReason;
  message: string;
  declaredType?: IndicatorType;
}

export type NormalizeResult = { ok: true; indicator: NormalizedIndicator } | { ok: false; rejected: RejectedIndicator };

type Canonical = { ok: true; value: string } | { ok: false; message: string };

const ok = (value: string): Canonical => ({ ok: true, value });
const fail = (message: string): Canonical => ({ ok: false, message });

const TYPE_LABELS: Readonly<Record<IndicatorType, string>> = {
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  cidr: 'a CIDR range',
  domain: 'a domain name',
  url: 'a URL',
  email: 'an email address',
  md5: 'an MD5 hash',
  sha1: 'a SHA-1 hash',
  sha256: 'a SHA-256 hash',
  sha512: 'a SHA-512 hash',
  cve: 'a CVE identifier',
  asn: 'an AS number',
};

// ---------------------------------------------------------------- IP addresses

/** Strict dotted-quad decimal: no octal, hex, short (`10.1`) or leading-zero forms. */
function canonicalIpv4(v: string): Canonical {
  const octets = v.split('.');
  if (octets.length !== 4 || !octets.every((o) => /^\d{1,3}$/.test(o))) {
    return fail('An IPv4 address must be four dot-separated decimal numbers.');
  }
  for (const o of octets) {
    // Leading zeros are ambiguous: many parsers read them as octal.
    if (o.length > 1 && o.startsWith('0')) return fail('IPv4 octets must not have leading zeros.');
    if (Number(o) > 255) return fail(`IPv4 octet ${o} is out of range (0-255).`);
  }
  return ok(v);
}

type Ipv6Parts = { ok: true; parts: number[] } | { ok: false; message: string };

/** The eight 16-bit groups of an IPv6 address. */
function ipv6Parts(v: string): Ipv6Parts {
  const invalid: Ipv6Parts = { ok: false, message: 'Value is not a valid IPv6 address.' };
  // A zone (fe80::1%eth0) only means something on the host that wrote it.
  if (v.includes('%')) return { ok: false, message: 'IPv6 zone identifiers are not supported.' };
  if (isIP(v) !== 6) return invalid;

  // Rewrite a dotted IPv4 tail as two hex groups ourselves: ipaddr.js reads
  // the deprecated IPv4-compatible form `::192.0.2.1` as `::ffff:192.0.2.1`.
  let hex = v;
  const lastColon = v.lastIndexOf(':');
  const tail = v.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!canonicalIpv4(tail).ok) return { ok: false, message: 'The IPv4 part of the IPv6 address is invalid.' };
    const [a, b, c, d] = tail.split('.').map(Number);
    hex = `${v.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  try {
    return { ok: true, parts: ipaddr.IPv6.parse(hex).parts };
  } catch {
    return invalid;
  }
}

/**
 * Whether the first 96 bits are a well-known prefix for an embedded IPv4 address, the case where
 * RFC 5952 §5 recommends mixed notation: IPv4-mapped `::ffff:0:0/96` (RFC 4291), IPv4-translated
 * `::ffff:0:0:0/96` (RFC 2765) and the NAT64 prefix `64:ff9b::/96` (RFC 6052). The deprecated
 * IPv4-compatible `::/96` is not one: it also holds `::` and `::1`, so it stays hexadecimal.
 */
function embedsIpv4(p: readonly number[]): boolean {
  const zero = (from: number, to: number) => p.slice(from, to).every((x) => x === 0);
  return (
    (zero(0, 5) && p[5] === 0xffff) ||
    (zero(0, 4) && p[4] === 0xffff && p[5] === 0) ||
    (p[0] === 0x64 && p[1] === 0xff9b && zero(2, 6))
  );
}

/**
 * RFC 5952 text: lower-case hex without leading zeros, the longest run of two or more zero groups
 * (the first of equal runs) as "::", and the last 32 bits in dotted decimal after a well-known
 * IPv4-embedding prefix.
 */
function formatIpv6(parts: readonly number[]): string {
  const mixed = embedsIpv4(parts);
  const words = mixed ? parts.slice(0, 6) : [...parts];
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < words.length;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < words.length && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) => words.slice(from, to).map((w) => w.toString(16));
  const tail = mixed ? [`${parts[6] >> 8}.${parts[6] & 255}.${parts[7] >> 8}.${parts[7] & 255}`] : [];
  if (bestStart < 0) return [...hex(0, words.length), ...tail].join(':');
  const left = hex(0, bestStart).join(':');
  const right = [...hex(bestStart + bestLength, words.length), ...tail].join(':');
  return `${left}::${right}`;
}

function canonicalIpv6(v: string): Canonical {
  const parsed = ipv6Parts(v);
  return parsed.ok ? ok(formatIpv6(parsed.parts)) : fail(parsed.message);
}

/** `<network address>/<prefix>` with the host bits cleared. */
function canonicalCidr(v: string): Canonical {
  const slash = v.indexOf('/');
  if (slash <= 0 || slash !== v.lastIndexOf('/')) {
    return fail('A CIDR range must be an IP address followed by /prefix-length.');
  }
  const address = v.slice(0, slash);
  const prefixText = v.slice(slash + 1);
  if (!/^(?:0|[1-9]\d{0,2})$/.test(prefixText)) {
    return fail('A CIDR prefix length must be a decimal number without leading zeros.');
  }
  const prefix = Number(prefixText);

  try {
    if (address.includes(':')) {
      const v6 = ipv6Parts(address);
      if (!v6.ok) return fail(v6.message);
      if (prefix > 128) return fail('An IPv6 prefix length must be between 0 and 128.');
      const network = v6.parts.map((word, i) => {
        const bits = Math.min(16, Math.max(0, prefix - 16 * i));
        return bits === 0 ? 0 : word & ((0xffff << (16 - bits)) & 0xffff);
      });
      return ok(`${formatIpv6(network)}/${prefix}`);
    }
    const v4 = canonicalIpv4(address);
    if (!v4.ok) return v4;
    if (prefix > 32) return fail('An IPv4 prefix length must be between 0 and 32.');
    return ok(`${ipaddr.IPv4.networkAddressFromCIDR(`${v4.value}/${prefix}`).toString()}/${prefix}`);
  } catch {
    return fail('Value is not a valid CIDR range.');
  }
}

// ---------------------------------------------------------------- names

// After IDNA conversion a label is LDH; '_' is tolerated here (service labels such as
// `_sip._tls`, and sub-domain labels seen in real malicious host names) and refused below in the
// registrable label and the public suffix, where no registry allows it.
const LABEL_RE = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

// ASCII characters allowed before IDNA conversion. Anything else ASCII is
// refused up front: Node's domainToASCII would otherwise silently cut at '/'
// or '\' and percent-decode '%41'.
const DOMAIN_ASCII_RE = /^[A-Za-z0-9._-]$/;

function hasForbiddenAscii(v: string): boolean {
  for (const ch of v) {
    if (ch.charCodeAt(0) < 0x80 && !DOMAIN_ASCII_RE.test(ch)) return true;
  }
  return false;
}

/**
 * Lower-case punycode, no trailing dot, and the public suffix must be one
 * the Public Suffix List knows (so `report.pdf` or `localhost` are not domains).
 */
function canonicalDomain(v: string): Canonical {
  if (v === '' || hasForbiddenAscii(v)) return fail('Domain name contains invalid characters.');
  let ascii = domainToASCII(v);
  if (ascii === '') return fail('Domain name is not a valid internationalized domain name.');
  if (ascii.endsWith('.')) ascii = ascii.slice(0, -1);
  if (ascii.length > 253) return fail('Domain name is longer than 253 characters.');

  const labels = ascii.split('.');
  if (labels.length < 2) return fail('A domain name must contain at least one dot.');
  if (!labels.every((label) => LABEL_RE.test(label))) return fail('Domain name has an empty or invalid label.');
  const tld = labels[labels.length - 1];
  // An all-numeric last label makes it an (invalid) IPv4 address, not a name.
  if (/^\d+$/.test(tld)) return fail('A domain name cannot end with a numeric label.');

  const info = parseHostname(ascii);
  if (info.isIcann !== true) return fail(`'${info.publicSuffix ?? tld}' is not a known public suffix.`);
  if (info.domain === null) return fail(`'${ascii}' is a public suffix, not a registrable domain.`);
  if (info.domain.includes('_')) {
    return fail(`'${info.domain}' is not a registrable domain: an underscore is only allowed in labels left of it.`);
  }
  return ok(ascii);
}

// RFC 5322 dot-atom; quoted local parts and non-ASCII (EAI) ones are not supported.
const LOCAL_PART_RE = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/i;

function canonicalEmail(v: string): Canonical {
  const at = v.indexOf('@');
  if (at <= 0 || at !== v.lastIndexOf('@')) {
    return fail('An email address must contain exactly one @ with a local part before it.');
  }
  const local = v.slice(0, at);
  if (local.length > 64 || !LOCAL_PART_RE.test(local)) return fail('The local part of the email address is invalid.');
  const domain = canonicalDomain(v.slice(at + 1));
  if (!domain.ok) return fail(`The email domain is invalid: ${domain.message}`);
  // Mailbox names are case-insensitive in practice, so the whole address is lower-cased.
  return ok(`${local.toLowerCase()}@${domain.value}`);
}

// ---------------------------------------------------------------- URLs

const URL_SCHEME_RE = /^([a-z][a-z0-9+.-]*):\/\//i;

// WHATWG "special" schemes: the URL parser itself lower-cases and punycodes
// the host and drops their default port.
const SPECIAL_SCHEMES: ReadonlySet<string> = new Set(['http', 'https', 'ftp', 'ws', 'wss']);

// Schemes the URL parser treats as opaque; we canonicalize them by hand.
const OTHER_SCHEME_DEFAULT_PORTS: ReadonlyMap<string, string> = new Map([
  ['ftps', '990'],
  ['sftp', '22'],
]);

/**
 * RFC 3986 §6.2.2.1–2 in the path, query and fragment: percent-encodings in upper case, and those of
 * unreserved characters (letters, digits, `-._~`) decoded. Both keep the URL's meaning.
 */
function normalizePercentEncoding(part: string): string {
  return part.replace(/%([0-9a-f]{2})/gi, (_match, hex: string) => {
    const ch = String.fromCharCode(parseInt(hex, 16));
    return /^[A-Za-z0-9._~-]$/.test(ch) ? ch : `%${hex.toUpperCase()}`;
  });
}

function canonicalUrlOnce(v: string): Canonical {
  const m = URL_SCHEME_RE.exec(v);
  if (!m) return fail('A URL must start with a scheme followed by "://".');
  const scheme = m[1].toLowerCase();
  const special = SPECIAL_SCHEMES.has(scheme);
  if (!special && !OTHER_SCHEME_DEFAULT_PORTS.has(scheme)) return fail(`URL scheme '${scheme}' is not supported.`);

  let url: URL;
  let port: string;
  try {
    if (special) {
      url = new URL(v);
      port = url.port;
    } else {
      // For ftps/sftp the parser keeps the host as written. Take the port from
      // the real parse, and everything else from the same URL parsed as http.
      port = new URL(v).port;
      if (port === OTHER_SCHEME_DEFAULT_PORTS.get(scheme)) port = '';
      url = new URL(`http${v.slice(m[1].length)}`);
    }
  } catch {
    const authority = v.slice(m[0].length).split(/[/?#]/, 1)[0];
    const bracket = authority.indexOf('[');
    if (bracket >= 0 && authority.indexOf('%', bracket) > bracket) {
      return fail('IPv6 zone identifiers are not supported.');
    }
    return fail('Value is not a valid URL.');
  }

  const hostname = url.hostname;
  let host: string;
  if (hostname.startsWith('[')) {
    const v6 = canonicalIpv6(hostname.slice(1, -1));
    if (!v6.ok) return fail('The URL host is not a valid IPv6 address.');
    host = `[${v6.value}]`;
  } else if (canonicalIpv4(hostname).ok) {
    // The URL parser already turned hex/octal/short IPv4 hosts into dotted decimal.
    host = hostname;
  } else {
    const domain = canonicalDomain(hostname);
    if (!domain.ok) return fail(`URL host '${hostname}' is not a valid domain name or IP address.`);
    host = domain.value;
  }

  // User-info is left out: it is a credential or a decoy (`https://bank.example@evil.example/`), and
  // the resource is the same without it.
  const portPart = port ? `:${port}` : '';
  const rest = normalizePercentEncoding(`${url.pathname || '/'}${url.search}${url.hash}`);
  return ok(`${scheme}://${host}${portPart}${rest}`);
}

/**
 * Scheme and host lower-case (IDN in punycode, IPv6 per RFC 5952), default port dropped, user-info
 * dropped, dot segments resolved, percent-encoding normalized, path/query/fragment otherwise as the
 * WHATWG URL parser serializes them. The result is stable: parsing it again gives it back, and it
 * holds nothing `refang` would change (a serialization that does — a trailing `.` once an empty
 * fragment is gone, `[/]` from a backslash — is parsed once more).
 */
function canonicalUrl(v: string): Canonical {
  let current = v;
  for (let round = 0; round < 4; round++) {
    const result = canonicalUrlOnce(current);
    if (!result.ok) return result;
    const again = refang(result.value);
    if (again === result.value) return result;
    current = again;
  }
  return fail('Value is not a valid URL.');
}

// ---------------------------------------------------------------- identifiers

const HEX_RE = /^[0-9a-f]+$/i;

function hash(length: number, name: string): (v: string) => Canonical {
  return (v) =>
    v.length === length && HEX_RE.test(v)
      ? ok(v.toLowerCase())
      : fail(`${name} hashes are exactly ${length} hexadecimal characters.`);
}

// Sequence numbers have four digits, or more without a leading zero.
const CVE_RE = /^CVE-(\d{4})-(\d{4}|[1-9]\d{4,18})$/i;

function canonicalCve(v: string): Canonical {
  const m = CVE_RE.exec(v);
  if (!m) return fail('A CVE identifier looks like CVE-2024-12345.');
  if (Number(m[1]) < 1999) return fail('CVE identifiers start in 1999.');
  return ok(`CVE-${m[1]}-${m[2]}`);
}

const ASN_RE = /^ASN?(\d{1,10})$/i;
const MAX_ASN = 4294967295;

function canonicalAsn(v: string): Canonical {
  const m = ASN_RE.exec(v);
  if (!m) return fail('An AS number looks like AS64500.');
  const n = Number(m[1]);
  if (n > MAX_ASN) return fail(`AS numbers range from 0 to ${MAX_ASN}.`);
  return ok(`AS${n}`);
}

// ---------------------------------------------------------------- dispatch

const CANONICALIZERS: Readonly<Record<IndicatorType, (v: string) => Canonical>> = {
  url: canonicalUrl,
  email: canonicalEmail,
  cidr: canonicalCidr,
  ipv4: canonicalIpv4,
  ipv6: canonicalIpv6,
  md5: hash(32, 'MD5'),
  sha1: hash(40, 'SHA-1'),
  sha256: hash(64, 'SHA-256'),
  sha512: hash(128, 'SHA-512'),
  cve: canonicalCve,
  asn: canonicalAsn,
  domain: canonicalDomain,
};

// The types are mutually exclusive, so the order only matters for speed and
// readability; domain comes last because it is the most permissive.
const DETECTION_ORDER: readonly IndicatorType[] = [
  'url',
  'email',
  'cidr',
  'ipv4',
  'ipv6',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'cve',
  'asn',
  'domain',
];

function detect(value: string): { type: IndicatorType; value: string } | undefined {
  for (const type of DETECTION_ORDER) {
    const result = CANONICALIZERS[type](value);
    if (result.ok) return { type, value: result.value };
  }
  return undefined;
}

/** Type of an already refanged value, or undefined when it is no valid indicator. */
export function detectIndicatorType(value: string): IndicatorType | undefined {
  return detect(value)?.type;
}

function messageOf(result: Canonical): string | undefined {
  return result.ok ? undefined : result.message;
}

/**
 * For a value that matched no type: if it clearly tried to be one (a scheme,
 * an '@', four dotted numbers, ...) explain what is wrong with it.
 */
function explainNearMiss(v: string): string | undefined {
  if (URL_SCHEME_RE.test(v)) return messageOf(canonicalUrl(v));
  if (v.includes('@')) return messageOf(canonicalEmail(v));
  if (/^[0-9a-f:.]+\/[^/]*$/i.test(v)) return messageOf(canonicalCidr(v));
  if (/^\d+(?:\.\d+){3}$/.test(v)) return messageOf(canonicalIpv4(v));
  if (/^[0-9a-f:.]+(?:%.*)?$/i.test(v) && v.split(':').length > 2) return messageOf(canonicalIpv6(v));
  if (v.length >= 24 && HEX_RE.test(v)) {
    return `A hexadecimal string of ${v.length} characters is not an MD5, SHA-1, SHA-256 or SHA-512 hash.`;
  }
  if (/^cve-/i.test(v)) return messageOf(canonicalCve(v));
  if (/^asn?\d+$/i.test(v)) return messageOf(canonicalAsn(v));
  return undefined;
}

// "mailto:" before an address is the URI scheme of e-mail, not a user name.
const MAILTO_RE = /^mailto:/i;

interface Reading {
  /** Refanged, without user-info. */
  value: string;
  /** The raw input without user-info. */
  shown: string;
}

/**
 * Refangs and cuts out user-info, from the value and from the raw form alike:
 * - in a URL, everything between "://" and the authority's last '@' (user name and password);
 * - without a scheme, `user:password@host` is read as the host alone (never as an e-mail address
 *   whose local part is `user:password`), except after "mailto:".
 */
function read(raw: string): Reading {
  const scan = scanIndicator(raw);
  const text = scan.text;
  const rawAt = (i: number) => (i < scan.source.length ? scan.source[i] : raw.length);
  if (scan.url) {
    const { authorityStart, authorityEnd } = scan.url;
    const at = authorityEnd > authorityStart ? text.lastIndexOf('@', authorityEnd - 1) : -1;
    if (at < authorityStart) return { value: text, shown: raw };
    return {
      value: text.slice(0, authorityStart) + text.slice(at + 1),
      shown: raw.slice(0, rawAt(authorityStart)) + raw.slice(rawAt(at + 1)),
    };
  }
  const at = text.lastIndexOf('@');
  const colon = text.indexOf(':');
  if (at <= 0 || colon < 0 || colon > at) return { value: text, shown: raw };
  if (MAILTO_RE.test(text)) return { value: text.slice(colon + 1), shown: raw };
  if (text.slice(0, at).includes('/')) return { value: text, shown: raw };
  const [start, end] = hostRange(text, at + 1);
  if (end <= start) return { value: '', shown: '' };
  return { value: text.slice(start, end), shown: raw.slice(rawAt(start), rawAt(end - 1) + 1) };
}

/** `raw` with any user-info (user name, password) cut out; otherwise unchanged. */
export function withoutCredentials(raw: string): string {
  return read(raw).shown;
}

const ARABIC_INDIC_DIGIT_RE = /[\u0660-\u0669]/;
const EXTENDED_ARABIC_INDIC_DIGIT_RE = /[\u06f0-\u06f9]/;
const ANY_ARABIC_DIGIT_RE = /[\u0660-\u0669\u06f0-\u06f9]/g;

/**
 * Addresses written with Arabic-Indic (U+0660–0669) or Extended Arabic-Indic (U+06F0–06F9) digits,
 * as Arabic and Urdu text may carry them: converted to ASCII digits (and U+066B, the Arabic decimal
 * separator, to '.') only when the whole value then is an IPv4 address, an IPv6 address or a CIDR
 * range, and only when it uses one digit set (no mix of the two Arabic sets or with ASCII digits).
 * Anywhere else they are kept: in a domain name they are IDN characters of another name.
 */
function asciiDigitsIfAddress(value: string): string | undefined {
  const arabic = ARABIC_INDIC_DIGIT_RE.test(value);
  const extended = EXTENDED_ARABIC_INDIC_DIGIT_RE.test(value);
  if (arabic === extended || /[0-9]/.test(value)) return undefined;
  const converted = value.replace(ANY_ARABIC_DIGIT_RE, (d) => String(d.charCodeAt(0) & 0xf)).replace(/\u066b/g, '.');
  return canonicalIpv4(converted).ok || canonicalIpv6(converted).ok || canonicalCidr(converted).ok
    ? converted
    : undefined;
}

/**
 * Refangs, recognizes and canonicalizes one indicator. With `declaredType`,
 * the value must be of that type. User-info never survives, in the value or
 * in the raw form kept with it.
 */
export function normalizeIndicator(raw: string, declaredType?: IndicatorType): NormalizeResult {
  if (declaredType !== undefined && !isIndicatorType(declaredType)) {
    throw new TypeError(`Unknown indicator type: ${String(declaredType)}`);
  }
  const rejectAs =
    (shown: string) =>
    (reason: RejectReason, message: string): NormalizeResult => ({
      ok: false,
      rejected:
        declaredType === undefined ? { raw: shown, reason, message } : { raw: shown, reason, message, declaredType },
    });

  if (raw.length > MAX_INDICATOR_LENGTH) {
    return rejectAs(withoutCredentials(raw))(
      'too_long',
      `Indicator is longer than ${MAX_INDICATOR_LENGTH} characters.`,
    );
  }
  const { value: refanged, shown } = read(raw);
  const reject = rejectAs(shown);
  if (refanged === '') return reject('empty', 'Indicator is empty.');
  const value = asciiDigitsIfAddress(refanged) ?? refanged;

  if (declaredType !== undefined) {
    const result = CANONICALIZERS[declaredType](value);
    if (result.ok) return { ok: true, indicator: { raw: shown, type: declaredType, value: result.value } };
    const actual = detect(value);
    if (actual) {
      return reject(
        'type_mismatch',
        `Expected ${TYPE_LABELS[declaredType]} but the value is ${TYPE_LABELS[actual.type]}.`,
      );
    }
    return reject('invalid_value', result.message);
  }

  const found = detect(value);
  if (found) return { ok: true, indicator: { raw: shown, type: found.type, value: found.value } };
  const problem = explainNearMiss(value);
  return problem === undefined
    ? reject('unrecognized', 'Value is not a recognized indicator.')
    : reject('invalid_value', problem);
}
