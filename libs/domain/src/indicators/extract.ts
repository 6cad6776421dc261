import type { IndicatorType } from './indicator-type';
import { normalizeIndicator, MAX_INDICATOR_LENGTH } from './normalize';
import { refang, stripWrapping } from './refang';
import { BRACKETED_MARKERS } from './defang-forms';
import { hostRange, isKnownSchemeText, isSchemeText, prepare, scanIndicator, wrappingBounds } from './refang-scan';

/** At most this many indicators are returned for one text. */
export const MAX_EXTRACTED_INDICATORS = 1000;

const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

// A bracketed defang marker with spaces inside ("evil[ dot ]com", "bad( at )evil") stays in its token.
const SPACED_MARKER = String.raw`[[({] {0,2}(?:${[...BRACKETED_MARKERS.keys()]
  .sort((a, b) => b.length - a.length)
  .map(escapeRegExp)
  .join('|')}) {0,2}[\])}]`;

// Tokens are runs of spaced markers and of characters other than whitespace and what never occurs in
// an indicator, defanged or not: straight and typographic double quotes, guillemets, angle brackets,
// backticks, '|' and the ornate parentheses of Arabic script. Every alternative consumes at least one
// character and nothing follows the loop, so the scan never backtracks and stays linear.
const TOKEN_RE = new RegExp(
  String.raw`(?:${SPACED_MARKER}|[^\s"<>\x60|\u201c\u201d\u2018\u2019\u00ab\u00bb\ufd3e\ufd3f])+`,
  'gi',
);

// Where a URL's "://" is, written plainly, defanged, or JSON-escaped.
const SCHEME_MARK_RE = /(?::|\[:\]|\(:\)|\{:\})(?:\/\/|\\\/\\\/|\[\/\/\])|\[:\/\/\]|\(:\/\/\)|\{:\/\/\}/g;
// The same without the global flag, for tests: a global regex keeps its lastIndex between calls, and
// matchAll starts where the last test stopped.
const HAS_SCHEME_MARK_RE = new RegExp(SCHEME_MARK_RE.source);

// Characters a scheme can be written with, defang decoration included (h[tt]p, h**p, [hxxp://]).
const SCHEME_CHAR_RE = /[A-Za-z0-9+.\-*_[\](){}]/;
const MAX_SCHEME_LENGTH = 20;

const OPENERS: ReadonlySet<string> = new Set(['(', '[', '{']);
const OPENER_OF: ReadonlyMap<string, string> = new Map([
  [')', '('],
  [']', '['],
  ['}', '{'],
]);

// Cheap pre-filter: an indicator shorter than a hash always contains a digit
// or one of these separators. Skips most ordinary words.
const MAYBE_INDICATOR_RE = /[\d.@:[({\\\uff0e\u3002\uff61\u0660-\u0669\u06f0-\u06f9]/;

// Top-level domains that are also common file extensions. A bare,
// non-defanged "readme.md" or "invoice.zip" in prose is taken as a file name.
const FILE_EXTENSION_TLDS: ReadonlySet<string> = new Set([
  'zip',
  'mov',
  'py',
  'md',
  'sh',
  'so',
  'one',
  'cab',
  'java',
  'rs',
  'ps',
]);

// "ip:", "sha256=", "C2=" ... directly glued to an indicator.
const LABEL_PREFIX_RE = /^([a-z][a-z0-9_-]{0,15})[:=]/i;

// Labels after which an address is an e-mail address, not a user name and password.
const EMAIL_LABELS: ReadonlySet<string> = new Set([
  'mailto',
  'from',
  'to',
  'cc',
  'bcc',
  'sender',
  'reply-to',
  'return-path',
  'email',
  'e-mail',
  'mail',
]);

// Words after which dotted numbers are a version, not an address ("version 1.2.3.4", "build=10.0.0.1"),
// in English, Arabic and Urdu.
const VERSION_WORDS: ReadonlySet<string> = new Set([
  'v',
  'ver',
  'version',
  'build',
  'release',
  'rev',
  'revision',
  'firmware',
  'fw',
  'الإصدار',
  'إصدار',
  'الاصدار',
  'اصدار',
  'ورژن',
]);

interface Hit {
  raw: string;
  type: IndicatorType;
  value: string;
  defanged: boolean;
}

interface Piece {
  text: string;
  url: boolean;
}

/**
 * Accepts a wrapper-free candidate if it normalizes, unless it is one of the
 * usual false positives of free text. `fromUrl`: a host taken from a URL is
 * a host even when it looks like a file name.
 */
function accept(raw: string, fromUrl = false): Hit | undefined {
  if (raw === '') return undefined;
  const result = normalizeIndicator(raw);
  if (!result.ok) return undefined;
  const { type, value } = result.indicator;
  const defanged = refang(raw) !== raw;

  if (type === 'domain' && !defanged && !fromUrl) {
    const labels = raw.split('.');
    const lastLabel = labels[labels.length - 1];
    if (FILE_EXTENSION_TLDS.has(lastLabel.toLowerCase())) return undefined;
    // "finished.Next" is a missing space after a full stop, not a domain.
    if (/^[A-Z][a-z]+$/.test(lastLabel)) return undefined;
  }
  // "::" or "add::beef" in code snippets; real addresses nearly always have a digit.
  if (type === 'ipv6' && !/[\d\u0660-\u0669\u06f0-\u06f9]/.test(raw)) return undefined;
  return { raw: result.indicator.raw, type, value, defanged };
}

/**
 * Where the scheme ending right before the "://" at `markAt` starts, or undefined. The scheme is the
 * longest run of scheme characters before the mark that starts at a word boundary and is a scheme
 * Corridor stores (defanged or not); failing that, the longest that is a scheme at all.
 */
function schemeStart(token: string, markAt: number, markLength: number): number | undefined {
  let from = markAt;
  while (from > 0 && markAt - from < MAX_SCHEME_LENGTH && SCHEME_CHAR_RE.test(token[from - 1])) from--;
  const next = token[markAt + markLength];
  let anyScheme: number | undefined;
  for (let s = from; s < markAt; s++) {
    if (s > from && /[A-Za-z0-9]/.test(token[s - 1])) continue;
    const written = token.slice(s, markAt);
    if (isKnownSchemeText(written, next)) return s;
    if (anyScheme === undefined && isSchemeText(written)) anyScheme = s;
  }
  return anyScheme;
}

/** Whether another URL starts at `at`, or right after a quote or an opening bracket there. */
function startsUrl(token: string, at: number, schemeStarts: ReadonlySet<number>): boolean {
  return schemeStarts.has(at) || ((token[at] === "'" || OPENERS.has(token[at])) && schemeStarts.has(at + 1));
}

/**
 * End (exclusive) of the URL starting at `start` whose "://" ends at `authorityAt`, before trailing
 * punctuation is dropped. See `extractIndicators` for the rule.
 */
function urlEnd(token: string, start: number, authorityAt: number, schemeStarts: ReadonlySet<number>): number {
  const depth: Record<string, number> = { '(': 0, '[': 0, '{': 0 };
  let inHost = false;
  for (let j = start; j < token.length; j++) {
    const c = token[j];
    if (j === authorityAt) inHost = true;
    if (inHost && (c === '/' || c === '?' || c === '#')) inHost = false;
    if (OPENERS.has(c)) {
      depth[c]++;
      continue;
    }
    const opener = OPENER_OF.get(c);
    if (opener !== undefined) {
      if (depth[opener] === 0) return j;
      depth[opener]--;
      continue;
    }
    if ((c === ',' || c === ';') && (inHost || startsUrl(token, j + 1, schemeStarts))) return j;
  }
  return token.length;
}

/** `token.slice(from, to)` split at commas and semicolons. */
function plainPieces(token: string, from: number, to: number, into: Piece[]): void {
  let start = from;
  for (let i = from; i <= to; i++) {
    if (i === to || token[i] === ',' || token[i] === ';') {
      if (i > start) into.push({ text: token.slice(start, i), url: false });
      start = i + 1;
    }
  }
}

/** A token cut into URLs and, between them, comma- or semicolon-separated candidates. */
function piecesOf(token: string): Piece[] {
  const pieces: Piece[] = [];
  const marks: Array<{ start: number; authorityAt: number }> = [];
  for (const mark of token.matchAll(SCHEME_MARK_RE)) {
    const start = schemeStart(token, mark.index, mark[0].length);
    if (start !== undefined) marks.push({ start, authorityAt: mark.index + mark[0].length });
  }
  const schemeStarts = new Set(marks.map((m) => m.start));
  let cursor = 0;
  for (const { start, authorityAt } of marks) {
    if (start < cursor) continue;
    plainPieces(token, cursor, start, pieces);
    const end = urlEnd(token, start, authorityAt, schemeStarts);
    // Sentence punctuation at the end, read as `stripWrapping` reads it.
    const trimmed = start + wrappingBounds(token.slice(start, end))[1];
    pieces.push({ text: token.slice(start, Math.max(trimmed, authorityAt)), url: true });
    cursor = end;
  }
  plainPieces(token, cursor, token.length, pieces);
  return pieces;
}

/** A URL, or the host of a URL whose scheme Corridor does not store (tcp://, smb://, a misspelling). */
function matchUrl(piece: string): Hit | undefined {
  const direct = accept(piece);
  if (direct) return direct;
  const scan = scanIndicator(piece);
  // A broken URL of a known scheme is not its host: it is not salvaged.
  if (!scan.url || scan.url.knownScheme) return undefined;
  const { authorityStart, authorityEnd } = scan.url;
  const authority = scan.text.slice(0, authorityEnd);
  const at = authority.lastIndexOf('@');
  const [start, end] = hostRange(authority, at >= authorityStart ? at + 1 : authorityStart);
  if (end <= start) return undefined;
  const host = piece.slice(scan.source[start], scan.source[end - 1] + 1);
  return accept(stripWrapping(host), true);
}

/**
 * Smaller candidates to try when a whole piece is not an indicator: the
 * piece without a "label:" prefix, the host after a user name
 * ("root@192.0.2.5"), and a host without its path or port
 * ("evil[.]com/payload.exe", "203.0.113.7:443", "[2001:db8::1]:443").
 */
function* fallbackCandidates(raw: string): Generator<string> {
  // Never salvage pieces of what looks like a URL: a broken URL is not its host.
  if (HAS_SCHEME_MARK_RE.test(raw)) return;

  // "[2001:db8::1]:443" (the leading bracket is already stripped).
  const v6WithPort = /^([0-9a-f:.]+)\]:\d{1,5}$/i.exec(raw);
  if (v6WithPort) {
    yield v6WithPort[1];
    return;
  }

  const label = LABEL_PREFIX_RE.exec(raw);
  const body = label ? raw.slice(label[0].length) : raw;
  if (body !== raw) yield body;

  const at = body.lastIndexOf('@');
  const afterUser = at >= 0 ? body.slice(at + 1) : body;
  if (afterUser !== body) yield afterUser;

  // An address/prefix pair is a (possibly invalid) CIDR, not a host and a path.
  let host = /^[0-9a-f:.]+\/\d*$/i.test(afterUser) ? afterUser : afterUser.split('/')[0];
  const port = /:\d{1,5}$/.exec(host);
  if (port && !host.slice(0, port.index).includes(':')) host = host.slice(0, port.index);
  if (host !== afterUser) yield host;
}

function matchPiece(piece: string): Hit | undefined {
  const raw = stripWrapping(piece);
  const label = LABEL_PREFIX_RE.exec(raw);
  if (label) {
    const name = label[1].toLowerCase();
    if (VERSION_WORDS.has(name)) return undefined;
    if (EMAIL_LABELS.has(name)) {
      const email = accept(stripWrapping(raw.slice(label[0].length)));
      if (email) return email;
    }
  }
  const direct = accept(raw);
  if (direct) return direct;
  for (const candidate of fallbackCandidates(raw)) {
    const hit = accept(stripWrapping(candidate));
    if (hit) return hit;
  }
  return undefined;
}

function isVersionWord(token: string): boolean {
  return VERSION_WORDS.has(stripWrapping(token).toLowerCase());
}

/**
 * Finds indicators in free text. Returns them as written (still defanged,
 * without surrounding punctuation, user-info cut out), de-duplicated by
 * canonical value, in order of first appearance, capped at
 * MAX_EXTRACTED_INDICATORS.
 *
 * The text is read as `refang` reads a value: format characters (zero-width,
 * bidi marks) dropped, Arabic-script punctuation taken as ASCII (`،` is a
 * comma). It is split at whitespace, quotes, angle brackets, backticks and
 * '|'; a token is then cut into URLs and, between them, pieces separated by
 * commas or semicolons.
 *
 * Where a URL ends in prose:
 * 1. It starts at its scheme (`http`, `hxxps`, `h[tt]p`, `[hxxp://]`, an
 *    unknown `tcp` ...) and runs to the end of the token.
 * 2. It ends before the first closing bracket — `)`, `]` or `}` — that closes
 *    nothing opened inside the URL: `(see http://x/a_(b))` ends after `(b)`,
 *    `[text](http://x/y)` yields `http://x/y`.
 * 3. It ends before a comma or semicolon in its host (no host name has one),
 *    or before one directly followed by another URL — its scheme, or a quote
 *    or opening bracket and its scheme (`http://a/x,http://b/y` and
 *    `'http://a/','http://b/'` are two URLs). Elsewhere commas and semicolons
 *    belong to the URL (RFC 3986): `http://example.com/x;y` stays whole.
 * 4. Then sentence punctuation is dropped from its end, as `stripWrapping`
 *    drops it: `. , ; ! ? *`, quotes, and a `:` unless doubled (`::`).
 *
 * A URL whose scheme Corridor does not store still gives its host. Dotted
 * numbers right after a version word ("version 1.2.3.4", "v 1.2.3.4",
 * "build=10.0.0.1") are a version, not an address, unless defanged.
 *
 * Work is linear in the length of the text: tokens and pieces are found in
 * one pass each, and every piece is examined a bounded number of times.
 */
export function extractIndicators(text: string): string[] {
  const prepared = prepare(text).text;
  const found: string[] = [];
  const seen = new Set<string>();
  // Descriptions repeat their indicators: each distinct piece is examined once.
  const examined = new Map<string, Hit | undefined>();
  let afterVersionWord = false;
  for (const match of prepared.matchAll(TOKEN_RE)) {
    const token = match[0];
    for (const piece of piecesOf(token)) {
      // Twice the limit leaves room for wrapping and defang markers.
      if (piece.text.length > 2 * MAX_INDICATOR_LENGTH) continue;
      if (piece.text.length < 32 && !MAYBE_INDICATOR_RE.test(piece.text)) continue;

      const key = `${piece.url ? 'u' : 'p'}${piece.text}`;
      let hit = examined.get(key);
      if (!examined.has(key)) {
        hit = piece.url ? matchUrl(piece.text) : matchPiece(piece.text);
        examined.set(key, hit);
      }
      if (!hit || seen.has(hit.value)) continue;
      if (afterVersionWord && hit.type === 'ipv4' && !hit.defanged) continue;
      seen.add(hit.value);
      found.push(hit.raw);
      if (found.length >= MAX_EXTRACTED_INDICATORS) return found;
    }
    afterVersionWord = isVersionWord(token);
  }
  return found;
}
