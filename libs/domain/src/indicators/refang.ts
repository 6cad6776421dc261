/**
 * Undoing the "defanging" CERTs apply to indicators so that they cannot be
 * clicked or resolved by accident (hxxp://evil[.]com, bad[at]evil[.]com, ...).
 * The forms undone, and where they come from, are listed in defang-forms.ts.
 */
import { scanIndicator, wrappingBounds } from './refang-scan';

/**
 * Removes whitespace, wrapping quotes/brackets/angle brackets and trailing
 * sentence punctuation (`. , ; : ! ?`, closing quotes, `*`, `>`) around an
 * indicator, without touching defang markers. A closing bracket at the end is
 * only removed when it has no partner inside (so `http://x/a_(b)` and
 * `[2001:db8::1]`-style content survive).
 */
export function stripWrapping(input: string): string {
  const [start, end] = wrappingBounds(input);
  return input.slice(start, end);
}

/**
 * Turns a defanged indicator back into its real form and trims the noise
 * around it. Does not validate or canonicalize anything else.
 *
 * - Format characters (zero-width, bidirectional marks and isolates, soft
 *   hyphen, BOM) are dropped everywhere; Arabic-script punctuation reads as
 *   its ASCII counterpart (`،` as `,`).
 * - In a host name, an address or any value that is not a URL, every form of
 *   defang-forms.ts is undone: bracketed markers (`[.]`, `(dot)`, `{.}`,
 *   `[ at ]`, `[:]`, `[://]`, nested `[[.]]`), `\.` and `\/`, and the
 *   full-width and ideographic full stops.
 * - In a URL (a scheme, then "://"), the scheme's defanged spellings are
 *   rewritten (`hxxps`, `h[tt]p`, `hxtp`, `[hxxp://]`, `fxp` ...) and the
 *   authority (user-info, host, port) is refanged as above. The path, query
 *   and fragment keep their bytes, except for the square-bracketed `[.]`,
 *   `[dot]` and `[/]`: defang tools write those there, and RFC 3986 allows no
 *   unencoded `[` or `]` there, so no well-formed URL changes. A `\.` in a
 *   query (`?q=a\.b`) stays as written.
 *
 * Idempotent: a pass can leave a form that only the next pass undoes (a `[/]`
 * that ends the host inside its brackets, after a backslash: `https[://]\\[/]`),
 * so passes repeat until nothing changes, at most `REFANG_PASSES` times.
 * Linear in the length of the input (a bounded number of linear passes).
 */
export function refang(raw: string): string {
  let text = scanIndicator(raw).text;
  for (let pass = 1; pass < REFANG_PASSES; pass++) {
    const again = scanIndicator(text).text;
    if (again === text) break;
    text = again;
  }
  return text;
}

/** The most passes `refang` makes; each pass is one linear scan. */
const REFANG_PASSES = 4;
