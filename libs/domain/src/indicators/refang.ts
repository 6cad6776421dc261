/**
 * Undoing the "defanging" CERTs apply to indicators so that they cannot be
 * clicked or resolved by accident (hxxp://evil[.]com, bad[at]evil[.]com, ...).
 */

// Invisible characters sometimes pasted into (or deliberately inserted in) indicators.
const INVISIBLE_RE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;

// Full-width and ideographic full stops: IDNA treats them as label separators.
const WIDE_DOT_RE = /[\uff0e\u3002\uff61]/g;

// `evil\.com` (regex-style escaping).
const ESCAPED_DOT_RE = /\\\./g;

// A defang token inside a *matching* pair of brackets, spaces allowed inside:
// [.] (.) {.} [dot] ( dot ) [@] [at] (at) [:] [://] [/]
const INNER = String.raw`\s*(\.|dot|@|at|:\/\/|:|\/)\s*`;
const BRACKETED_RE = new RegExp(String.raw`\[${INNER}\]|\(${INNER}\)|\{${INNER}\}`, 'gi');

// Defanged schemes: hxxp, hXXps, h**p (-> http/https) and fxp (-> ftp). Only
// rewritten when a colon follows, so ordinary words are never touched.
const HTTP_SCHEME_RE = /\bh(?:xx|\*\*)p(s?)(?=:)/gi;
const FTP_SCHEME_RE = /\bfxp(s?)(?=:)/gi;

const QUOTES = '"\'`\u201c\u201d\u2018\u2019\u00ab\u00bb';

// No indicator starts with one of these, so they are always wrapping.
const LEADING_JUNK = new Set([...QUOTES, '(', '[', '{', '<', '*']);

// Sentence punctuation, closing quotes and markdown emphasis after an indicator.
// ':' is handled separately because an IPv6 address may end in '::'.
const TRAILING_JUNK = new Set([...QUOTES, '.', ',', ';', '!', '?', '>', '*']);

const OPENER_OF: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

function isSpace(ch: string): boolean {
  return /\s/.test(ch);
}

/**
 * Removes whitespace, wrapping quotes/brackets/angle brackets and trailing
 * sentence punctuation around an indicator, without touching defang markers.
 * A closing bracket at the end is only removed when it has no partner inside
 * (so `http://x/a_(b)` and `[2001:db8::1]`-style content survive).
 */
export function stripWrapping(input: string): string {
  const count: Record<string, number> = { '(': 0, ')': 0, '[': 0, ']': 0, '{': 0, '}': 0 };
  for (const ch of input) {
    if (ch in count) count[ch]++;
  }

  let start = 0;
  let end = input.length;
  while (start < end && (isSpace(input[start]) || LEADING_JUNK.has(input[start]))) {
    if (input[start] in count) count[input[start]]--;
    start++;
  }
  while (end > start) {
    const ch = input[end - 1];
    const opener = OPENER_OF[ch];
    const strip =
      isSpace(ch) ||
      TRAILING_JUNK.has(ch) ||
      (ch === ':' && input[end - 2] !== ':') ||
      (opener !== undefined && count[ch] > count[opener]);
    if (!strip) break;
    if (ch in count) count[ch]--;
    end--;
  }
  return input.slice(start, end);
}

function replaceBracketed(match: string, ...groups: unknown[]): string {
  const inner = groups.slice(0, 3).find((g): g is string => typeof g === 'string') ?? match;
  switch (inner.toLowerCase()) {
    case 'dot':
      return '.';
    case 'at':
      return '@';
    default:
      return inner;
  }
}

function refangOnce(value: string): string {
  const replaced = value
    .replace(INVISIBLE_RE, '')
    .replace(WIDE_DOT_RE, '.')
    .replace(ESCAPED_DOT_RE, '.')
    .replace(BRACKETED_RE, replaceBracketed)
    .replace(HTTP_SCHEME_RE, (_m, s: string) => `http${s.toLowerCase()}`)
    .replace(FTP_SCHEME_RE, (_m, s: string) => `ftp${s.toLowerCase()}`);
  return stripWrapping(replaced);
}

/**
 * Turns a defanged indicator back into its real form and trims the noise
 * around it. Does not validate or canonicalize anything else.
 *
 * Idempotent: one pass can expose more work (`[[.]]` -> `[.]` -> `.`), so
 * passes repeat until nothing changes. This terminates because every pass
 * that changes the text either shortens it or rewrites a defanged scheme,
 * which cannot reappear.
 */
export function refang(raw: string): string {
  let current = raw;
  let next = refangOnce(current);
  while (next !== current) {
    current = next;
    next = refangOnce(current);
  }
  return current;
}
