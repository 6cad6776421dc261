/**
 * How long to wait before asking again, from an HTTP `Retry-After` header (RFC 9110 §10.2.3): either
 * delta-seconds (a non-negative integer) or an HTTP-date (IMF-fixdate, or the obsolete RFC 850 and
 * asctime forms `Date.parse` reads). Returns milliseconds (0 for a date in the past), or undefined
 * when the header is absent or neither form.
 */
export function retryAfterMs(header: string | null | undefined, now: Date): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP-date always names a weekday and a time: refuse bare numbers with signs, fractions…
  if (!/^[A-Za-z]{3,9}, ?\d|^[A-Za-z]{3} [A-Za-z]{3} /.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}
