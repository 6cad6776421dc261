import { normalizeIndicator, MAX_INDICATOR_LENGTH } from './normalize';
import { refang, stripWrapping } from './refang';

/** At most this many indicators are returned for one text. */
export const MAX_EXTRACTED_INDICATORS = 1000;

// A token is a run of characters other than whitespace, quotes, angle
// brackets, '|', ',' and ';'. A bracketed defang marker with spaces inside
// ("evil[ dot ]com") is kept inside its token. Every alternative consumes at
// least one character and none can be retried, so scanning stays linear.
const DEFANG_MARK = String.raw` {0,2}(?:dot|at|\.|@) {0,2}`;
const TOKEN_RE = new RegExp(
  String.raw`(?:\[${DEFANG_MARK}\]|\(${DEFANG_MARK}\)|\{${DEFANG_MARK}\}|[^\s"'\x60<>|,;\u201c\u201d\u2018\u2019\u00ab\u00bb])+`,
  'gi',
);

// Cheap pre-filter: an indicator shorter than a hash always contains a digit
// or one of these separators. Skips most ordinary words.
const MAYBE_INDICATOR_RE = /[\d.@:[({\\\uff0e\u3002\uff61]/;

// Top-level domains that are also common file extensions. A bare,
// non-defanged "readme.md" or "invoice.zip" in prose is taken as a file name.
const FILE_EXTENSION_TLDS: ReadonlySet<string> = new Set(['zip', 'mov', 'py', 'md', 'sh', 'so', 'one', 'cab', 'java']);

// "ip:", "sha256=", "C2=" ... directly glued to an indicator.
const LABEL_PREFIX_RE = /^[a-z][a-z0-9_-]{0,15}[:=]/i;

// Where an embedded URL starts: "://" or a bracketed variant of it.
const SCHEME_MARK_RE = /:\/\/|\[:\]\/\/|\[:\/\/\]/;

interface Hit {
  raw: string;
  value: string;
}

function isDefanged(raw: string): boolean {
  return refang(raw) !== raw;
}

/**
 * Accepts a wrapper-free candidate if it normalizes, unless it is one of the
 * usual false positives of free text.
 */
function accept(raw: string): Hit | undefined {
  if (raw === '') return undefined;
  const result = normalizeIndicator(raw);
  if (!result.ok) return undefined;
  const { type, value } = result.indicator;

  if (type === 'domain' && !isDefanged(raw)) {
    const labels = raw.split('.');
    const lastLabel = labels[labels.length - 1];
    if (FILE_EXTENSION_TLDS.has(lastLabel.toLowerCase())) return undefined;
    // "finished.Next" is a missing space after a full stop, not a domain.
    if (/^[A-Z][a-z]+$/.test(lastLabel)) return undefined;
  }
  // "::" or "add::beef" in code snippets; real addresses nearly always have a digit.
  if (type === 'ipv6' && !/\d/.test(raw)) return undefined;
  return { raw, value };
}

/** Start of a URL scheme that ends right before `markAt` (letters and '*' for h**p). */
function schemeStart(token: string, markAt: number): number {
  let i = markAt;
  while (i > 0 && /[a-z*]/i.test(token[i - 1])) i--;
  return i;
}

/**
 * Smaller candidates to try when a whole token is not an indicator:
 * an embedded URL ("IOC:hxxp://...", "[text](http://...)"), the token
 * without a "label:" prefix, and a host without its path or port
 * ("evil[.]com/payload.exe", "203.0.113.7:443", "[2001:db8::1]:443").
 */
function* fallbackCandidates(raw: string): Generator<string> {
  const mark = SCHEME_MARK_RE.exec(raw);
  if (mark) {
    const start = schemeStart(raw, mark.index);
    if (start > 0 && start < mark.index) yield raw.slice(start);
    // Never salvage pieces of a URL: a broken URL is not its host.
    return;
  }

  // "[2001:db8::1]:443" (the leading bracket is already stripped).
  const v6WithPort = /^([0-9a-f:.]+)\]:\d{1,5}$/i.exec(raw);
  if (v6WithPort) {
    yield v6WithPort[1];
    return;
  }

  const label = LABEL_PREFIX_RE.exec(raw);
  const body = label ? raw.slice(label[0].length) : raw;
  if (body !== raw) yield body;

  // An address/prefix pair is a (possibly invalid) CIDR, not a host and a path.
  let host = /^[0-9a-f:.]+\/\d*$/i.test(body) ? body : body.split('/')[0];
  const port = /:\d{1,5}$/.exec(host);
  if (port && !host.slice(0, port.index).includes(':')) host = host.slice(0, port.index);
  if (host !== body) yield host;
}

function matchToken(token: string): Hit | undefined {
  const raw = stripWrapping(token);
  const direct = accept(raw);
  if (direct) return direct;
  for (const candidate of fallbackCandidates(raw)) {
    const hit = accept(stripWrapping(candidate));
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Finds indicators in free text. Returns them as written (still defanged,
 * without surrounding punctuation), de-duplicated by canonical value, in
 * order of first appearance, capped at MAX_EXTRACTED_INDICATORS.
 */
export function extractIndicators(text: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  for (const match of text.matchAll(TOKEN_RE)) {
    const token = match[0];
    // Twice the limit leaves room for wrapping and defang markers.
    if (token.length > 2 * MAX_INDICATOR_LENGTH) continue;
    if (token.length < 32 && !MAYBE_INDICATOR_RE.test(token)) continue;

    const hit = matchToken(token);
    if (!hit || seen.has(hit.value)) continue;
    seen.add(hit.value);
    found.push(hit.raw);
    if (found.length >= MAX_EXTRACTED_INDICATORS) break;
  }
  return found;
}
