/**
 * The single pass behind `refang`: it undoes defang forms, finds the parts of a URL and remembers where
 * each character of the result came from (so that user-info can be cut out of the raw form too).
 *
 * Work is linear in the input: every character is pushed once, a closing bracket looks back at most a
 * fixed number of characters, and every reduction removes more characters than it adds.
 */
import {
  ARABIC_PUNCTUATION,
  BRACKETED_MARKERS,
  DEFANGED_SCHEMES,
  FORMAT_CHARACTER_RE,
  HTTP_LOOKALIKE_RE,
  LONGEST_MARKER,
  MARKER_BRACKETS,
  MARKER_PADDING,
  PATH_MARKERS,
  WIDE_DOTS,
} from './defang-forms';

/** Schemes Corridor stores URLs of (lower-cased when written in capitals). */
export const URL_SCHEMES: ReadonlySet<string> = new Set(['http', 'https', 'ftp', 'ftps', 'sftp', 'ws', 'wss']);

const QUOTES = '"\'`\u201c\u201d\u2018\u2019\u00ab\u00bb';

// No indicator starts with one of these, so they are always wrapping.
const LEADING_JUNK: ReadonlySet<string> = new Set([...QUOTES, '(', '[', '{', '<', '*']);

// Sentence punctuation, closing quotes and markdown emphasis after an indicator. ':' is handled
// separately because an IPv6 address may end in '::'.
const TRAILING_JUNK: ReadonlySet<string> = new Set([...QUOTES, '.', ',', ';', '!', '?', '>', '*']);

const CLOSER_OF: ReadonlyMap<string, string> = new Map([
  ['(', ')'],
  ['[', ']'],
  ['{', '}'],
]);

// A scheme as written before "://": letters first, then scheme characters and defang decoration.
const SCHEME_TEXT_RE = /^[a-z][a-z0-9+.\-*_[\](){}]*$/i;
const MAX_SCHEME_TEXT = 20;

const PLAIN = 0;
const AUTHORITY = 1;
const REST = 2;

export interface ScannedUrl {
  /** Whether the scheme is one Corridor stores (after undoing defanged spellings). */
  knownScheme: boolean;
  /** `text.slice(0, schemeEnd)` is the scheme; "://" follows. */
  schemeEnd: number;
  /** The authority (user-info, host, port) is `text.slice(authorityStart, authorityEnd)`. */
  authorityStart: number;
  authorityEnd: number;
}

export interface Scanned {
  /** The refanged text. */
  text: string;
  /** For each character of `text`, the index in the input it comes from. */
  source: number[];
  /** Present when the text starts with a scheme and "://". */
  url?: ScannedUrl;
}

function isSpace(ch: string): boolean {
  return /\s/.test(ch);
}

/** Start and end of what `stripWrapping` keeps. */
export function wrappingBounds(input: string): [number, number] {
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
    const opener = MARKER_BRACKETS.get(ch);
    const strip =
      isSpace(ch) ||
      TRAILING_JUNK.has(ch) ||
      (ch === ':' && input[end - 2] !== ':') ||
      (opener !== undefined && count[ch] > count[opener]);
    if (!strip) break;
    if (ch in count) count[ch]--;
    end--;
  }
  return [start, end];
}

/**
 * Drops the format characters and reads Arabic-script punctuation as ASCII, keeping for each remaining
 * character its index in `input`.
 */
export function prepare(input: string): { text: string; source: number[] } {
  const chars: string[] = [];
  const source: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (FORMAT_CHARACTER_RE.test(ch)) continue;
    chars.push(ARABIC_PUNCTUATION.get(ch) ?? ch);
    source.push(i);
  }
  return { text: chars.join(''), source };
}

/** The real scheme a written one stands for, or undefined when it is not one Corridor stores. */
function resolveScheme(written: string): string | undefined {
  const lower = written.toLowerCase();
  if (URL_SCHEMES.has(lower)) return lower;
  const defanged = DEFANGED_SCHEMES.get(lower);
  if (defanged !== undefined) return defanged;
  const lookalike = HTTP_LOOKALIKE_RE.exec(lower);
  if (lookalike) return `http${lookalike[1]}`;
  return undefined;
}

/**
 * The real scheme of `head` (what precedes "://"), also when the scheme is bracketed: `[http]://`,
 * `(hxxps)://`; `dropNext` when the bracket closes after the "://" (`[hxxp://]`).
 */
function resolveWrittenScheme(
  head: string,
  next: string | undefined,
): { scheme: string; dropNext: boolean } | undefined {
  const direct = resolveScheme(head);
  if (direct !== undefined) return { scheme: direct, dropNext: false };
  // `[http]://` once its opening bracket was stripped as wrapping.
  if (MARKER_BRACKETS.has(head[head.length - 1])) {
    const inner = resolveScheme(head.slice(0, -1));
    if (inner !== undefined) return { scheme: inner, dropNext: false };
  }
  const closer = CLOSER_OF.get(head[0]);
  if (closer === undefined) return undefined;
  if (head.endsWith(closer)) {
    const inner = resolveScheme(head.slice(1, -1));
    if (inner !== undefined) return { scheme: inner, dropNext: false };
  }
  if (next === closer) {
    const inner = resolveScheme(head.slice(1));
    if (inner !== undefined) return { scheme: inner, dropNext: true };
  }
  return undefined;
}

/** Whether `written` (what precedes "://" in a token) is a scheme, defanged or not, Corridor stores. */
export function isKnownSchemeText(written: string, next: string | undefined): boolean {
  return resolveWrittenScheme(written, next) !== undefined;
}

/**
 * Whether `written` can be a scheme at all (known or not): a letter, then scheme characters and defang
 * decoration, with no bracket left open (in `hxxps[://]` the scheme is `hxxps`, not `hxxps[`).
 */
export function isSchemeText(written: string): boolean {
  if (written.length > MAX_SCHEME_TEXT || !SCHEME_TEXT_RE.test(written)) return false;
  let open = 0;
  for (const ch of written) {
    if (CLOSER_OF.has(ch)) open++;
    else if (MARKER_BRACKETS.has(ch) && open > 0) open--;
  }
  return open === 0;
}

class Machine {
  readonly out: string[] = [];
  readonly src: number[] = [];
  mode = PLAIN;
  schemeEnd = -1;
  authorityStart = -1;
  authorityEnd = -1;

  push(input: string, from: number): void {
    const out = this.out;
    let ch = input;
    if (this.mode !== REST && WIDE_DOTS.has(ch)) ch = '.';
    // A backslash in a host that escapes nothing ends the host, as URL parsers read it. Before an
    // opening bracket it waits: `\\[.]` is an escaped dot once the marker is undone.
    if (this.mode === AUTHORITY && out[out.length - 1] === '\\' && ch !== '.' && ch !== '/' && !CLOSER_OF.has(ch)) {
      this.authorityEnd = out.length - 1;
      this.mode = REST;
    }
    out.push(ch);
    this.src.push(from);

    if (this.mode !== REST && (ch === '.' || ch === '/')) {
      // `\.` and `\/` (regex and JSON escapes), however often the backslash was doubled.
      while (out.length >= 2 && out[out.length - 2] === '\\') {
        out.splice(out.length - 2, 1);
        this.src.splice(this.src.length - 2, 1);
      }
    }
    if (MARKER_BRACKETS.has(ch) && this.reduceBracket(ch)) return;
    this.transition(ch);
  }

  /** Replaces `<opener> marker <closer>` ending at the character just pushed; true when it did. */
  private reduceBracket(closer: string): boolean {
    const out = this.out;
    if (this.mode === REST && closer !== ']') return false;
    const opener = MARKER_BRACKETS.get(closer);
    const last = out.length - 1;
    const limit = Math.max(0, last - 1 - LONGEST_MARKER - 2 * MARKER_PADDING);
    for (let j = last - 1; j >= limit; j--) {
      const c = out[j];
      if (c === opener) {
        const replacement = this.markerValue(out.slice(j + 1, last).join(''));
        if (replacement === undefined) return false;
        const from = this.src[j];
        out.length = j;
        this.src.length = j;
        for (const r of replacement) this.push(r, from);
        return true;
      }
      if (CLOSER_OF.has(c) || MARKER_BRACKETS.has(c)) return false;
    }
    return false;
  }

  private markerValue(inner: string): string | undefined {
    if (this.mode === REST) return PATH_MARKERS.get(inner.toLowerCase());
    let a = 0;
    let b = inner.length;
    while (a < b && a < MARKER_PADDING && inner[a] === ' ') a++;
    while (b > a && inner.length - b < MARKER_PADDING && inner[b - 1] === ' ') b--;
    return BRACKETED_MARKERS.get(inner.slice(a, b).toLowerCase());
  }

  private transition(ch: string): void {
    const out = this.out;
    const n = out.length;
    if (this.mode === PLAIN) {
      if (
        this.schemeEnd < 0 &&
        ch === '/' &&
        n >= 4 &&
        n - 3 <= MAX_SCHEME_TEXT &&
        out[n - 2] === '/' &&
        out[n - 3] === ':' &&
        isSchemeText(out.slice(0, n - 3).join(''))
      ) {
        this.schemeEnd = n - 3;
        this.authorityStart = n;
        this.mode = AUTHORITY;
      }
    } else if (this.mode === AUTHORITY && (ch === '/' || ch === '?' || ch === '#')) {
      this.authorityEnd = n - 1;
      this.mode = REST;
    }
  }
}

/**
 * `[start, end)` of the host in `text` from `from` on: up to the path, query or fragment, and without
 * a port (`:443`; an IPv6 address keeps its colons).
 */
export function hostRange(text: string, from: number): [number, number] {
  let end = from;
  while (end < text.length && text[end] !== '/' && text[end] !== '?' && text[end] !== '#') end++;
  const host = text.slice(from, end);
  const port = /:\d{1,5}$/.exec(host);
  if (port && (!host.slice(0, port.index).includes(':') || host[port.index - 1] === ']')) end = from + port.index;
  return [from, end];
}

/** Refangs one indicator (see `refang`), with the origin of every character and the URL's parts. */
export function scanIndicator(raw: string): Scanned {
  const prepared = prepare(raw);
  const [start, end] = wrappingBounds(prepared.text);
  const machine = new Machine();
  for (let i = start; i < end; i++) machine.push(prepared.text[i], prepared.source[i]);

  let chars = machine.out;
  let source = machine.src;
  let url: ScannedUrl | undefined;
  if (machine.schemeEnd >= 0) {
    const authorityEnd = machine.mode === AUTHORITY ? chars.length : machine.authorityEnd;
    let authorityStart = machine.authorityStart;
    const head = chars.slice(0, machine.schemeEnd).join('');
    const resolved = resolveWrittenScheme(head, chars[authorityStart]);
    // A closing bracket right after "://" is what is left of `[hxxp://]` once its opener was
    // stripped as wrapping.
    const dropNext =
      resolved?.dropNext === true ||
      (start > 0 && MARKER_BRACKETS.get(chars[authorityStart]) === prepared.text[start - 1]);
    const scheme = resolved ? [...resolved.scheme] : chars.slice(0, machine.schemeEnd);
    const schemeSource = scheme.map(() => source[0]);
    const afterScheme = chars.slice(machine.schemeEnd, authorityStart);
    const rest = chars.slice(authorityStart + (dropNext ? 1 : 0));
    const restSource = source.slice(authorityStart + (dropNext ? 1 : 0));
    const shift = scheme.length - machine.schemeEnd;
    chars = [...scheme, ...afterScheme, ...rest];
    source = [...schemeSource, ...source.slice(machine.schemeEnd, authorityStart), ...restSource];
    authorityStart += shift;
    url = {
      knownScheme: resolved !== undefined,
      schemeEnd: scheme.length,
      authorityStart,
      authorityEnd: Math.max(authorityStart, authorityEnd + shift - (dropNext ? 1 : 0)),
    };
  }

  const joined = chars.join('');
  const [from, to] = wrappingBounds(joined);
  const text = joined.slice(from, to);
  const kept = source.slice(from, to);
  if (url) {
    const clamp = (i: number) => Math.min(Math.max(i - from, 0), text.length);
    url = {
      knownScheme: url.knownScheme,
      schemeEnd: clamp(url.schemeEnd),
      authorityStart: clamp(url.authorityStart),
      authorityEnd: clamp(url.authorityEnd),
    };
    if (url.schemeEnd === 0 || text.slice(url.schemeEnd, url.schemeEnd + 3) !== '://') url = undefined;
  }
  return { text, source: kept, url };
}
