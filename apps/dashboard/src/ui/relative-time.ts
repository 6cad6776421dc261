import { useEffect, useState } from 'react';

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** `at` relative to `now` in the largest whole unit: a negative value is in the past. */
export function relativeParts(at: Date, now: Date): { value: number; unit: Intl.RelativeTimeFormatUnit } {
  const seconds = (at.getTime() - now.getTime()) / 1000;
  const size = Math.abs(seconds);
  for (const [unit, length] of UNITS) {
    if (size >= length) return { value: Math.trunc(seconds / length), unit };
  }
  return { value: 0, unit: 'second' };
}

/** "3 minutes ago", "أمس", "2 گھنٹے پہلے": in the page's language, numbers in its digits. */
export function formatRelative(at: Date, now: Date, language: string): string {
  const { value, unit } = relativeParts(at, now);
  return new Intl.RelativeTimeFormat(language, { numeric: 'auto' }).format(value, unit);
}

/** The current time, moving on every `everyMs` (relative times on screen stay true). */
export function useNow(everyMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
