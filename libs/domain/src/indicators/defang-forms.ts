/**
 * The defang forms Corridor undoes, as data. Written for this project from the conventions CERTs and
 * their tools publish; the spellings were collected from:
 *
 * - MISP, ComplexTypeTool's refang table (free-text import): schemes `hxxp`, `hxtp`, `htxp`, `meow`,
 *   `h[tt]p`; `[hxxp://]`; dots `[.]`, `[dot]`, `(dot)`, `\.`; `[at]`/`[@]`; `[:]`.
 * - ioc-fanger (fang.json): `h??p(s)` with two obfuscating characters; brackets or parentheses around a
 *   dot, a comma, `dot`/`punto`/`punkt`, `@`/`at`/`et`/`arroba`, `:`, `-` and `www`; bracketed
 *   `[http]`/`(https)`; `\.` and `\/`.
 * - CyberChef's "Defang URL" operation: `hxxp(s)`, `[.]` in the whole URL, `[://]`.
 * - Common practice in CERT advisories: `fxp` for ftp, `h**p`, `{.}`, spaces inside the brackets
 *   (`[ dot ]`), nested brackets (`[[.]]`).
 * - UTS #46 (IDNA mapping): the ideographic and full-width full stops U+3002, U+FF0E, U+FF61 are label
 *   separators, i.e. dots.
 * - Unicode general category Cf: the zero-width and bidirectional format characters an address picks up
 *   when it is pasted from right-to-left text.
 *
 * Forms that would rewrite ordinary prose were left out on purpose: a bare ` dot `/` DOT ` or ` at `
 * between words, `1,2,3,4` for an address, and "any four letters before ://" (ioc-fanger turns every
 * such scheme into http; here an unknown scheme keeps its name and only its host is used).
 */

// Lookups go through Maps: keys come from the input, and an object would answer `__proto__`.
function table(entries: Record<string, string>): ReadonlyMap<string, string> {
  return new Map(Object.entries(entries));
}

/** A defanged scheme, compared case-insensitively, and the real scheme it stands for. */
export const DEFANGED_SCHEMES: ReadonlyMap<string, string> = table({
  hxxp: 'http',
  hxxps: 'https',
  hxtp: 'http',
  hxtps: 'https',
  htxp: 'http',
  htxps: 'https',
  'h**p': 'http',
  'h**ps': 'https',
  h__p: 'http',
  h__ps: 'https',
  'h[tt]p': 'http',
  'h[tt]ps': 'https',
  'h(tt)p': 'http',
  'h(tt)ps': 'https',
  'h{tt}p': 'http',
  'h{tt}ps': 'https',
  'h[xx]p': 'http',
  'h[xx]ps': 'https',
  'h(xx)p': 'http',
  'h(xx)ps': 'https',
  meow: 'http',
  fxp: 'ftp',
  fxps: 'ftps',
  fxxp: 'ftp',
  fxxps: 'ftps',
  'f*p': 'ftp',
  'f[t]p': 'ftp',
  'f(t)p': 'ftp',
  sfxp: 'sftp',
});

/**
 * Further spellings of http(s): `h`, two characters each an x, t, *, _, - or dot (not both t), `p`,
 * and an optional `s` — hxtp, htxp, hXXp, h*tp, h-tp ... (ioc-fanger's `h??p`, narrowed to
 * obfuscating characters so that real schemes such as `hdfs` or words are left alone).
 */
export const HTTP_LOOKALIKE_RE = /^h[xt*_.-]{2}p(s?)$/i;

/** Bracket pairs that wrap a defang marker. */
export const MARKER_BRACKETS: ReadonlyMap<string, string> = table({ ']': '[', ')': '(', '}': '{' });

/**
 * What stands inside a bracket pair (compared case-insensitively, up to two spaces either side) and
 * what it stands for. Used in host names, addresses and outside URLs.
 */
export const BRACKETED_MARKERS: ReadonlyMap<string, string> = table({
  '.': '.',
  dot: '.',
  ',': '.',
  punto: '.',
  punkt: '.',
  '@': '@',
  at: '@',
  et: '@',
  arroba: '@',
  ':': ':',
  '://': '://',
  '/': '/',
  '//': '//',
  '-': '-',
  www: 'www',
});

/**
 * The markers undone in a URL's path, query and fragment: only inside square brackets, which RFC 3986
 * does not allow there unencoded, and which CyberChef's "Defang URL" writes around every dot.
 */
export const PATH_MARKERS: ReadonlyMap<string, string> = table({
  '.': '.',
  dot: '.',
  '/': '/',
});

/** Longest marker text, so that a closing bracket only ever looks back a bounded distance. */
export const LONGEST_MARKER = Math.max(...[...BRACKETED_MARKERS.keys()].map((m) => m.length));

/** Spaces allowed between a bracket and its marker (`[ dot ]`). */
export const MARKER_PADDING = 2;

/** Full stops that IDNA (UTS #46) maps to '.', undone in host names and addresses. */
export const WIDE_DOTS: ReadonlySet<string> = new Set(['\u3002', '\uff0e', '\uff61']);

/**
 * Format characters removed everywhere before parsing: soft hyphen, zero-width space/non-joiner/joiner,
 * the left-to-right and right-to-left marks, bidi embeddings and overrides (U+202A–U+202E), word joiner
 * and invisible operators (U+2060–U+2064), bidi isolates (U+2066–U+2069), the Arabic letter mark and
 * the byte order mark / zero-width no-break space.
 */
export const FORMAT_CHARACTER_RE = /[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/**
 * Arabic-script punctuation read as its ASCII counterpart, so that `203.0.113.5،` ends at the comma as
 * `203.0.113.5,` would: comma, semicolon, question mark, full stop (U+06D4, used in Urdu), the end of
 * text mark and the triple dot (read as full stops).
 */
export const ARABIC_PUNCTUATION: ReadonlyMap<string, string> = table({
  '\u060c': ',',
  '\u061b': ';',
  '\u061f': '?',
  '\u06d4': '.',
  '\u061d': '.',
  '\u061e': '.',
});
