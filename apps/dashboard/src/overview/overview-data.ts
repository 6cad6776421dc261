import type { OverviewReply } from '../api/types';

type Day = OverviewReply['days'][number];

/** One stacked series per key that counts at least one incident over the period, in `order`. */
export interface Stacked<K extends string> {
  keys: K[];
  /** Per day: its date and each key's count (same order as `keys`). */
  rows: Array<{ date: string; counts: number[]; total: number }>;
}

/**
 * A per-day breakdown (by classification or by severity) as stacked series: keys that never count
 * anything in the period are left out, so the legend and the table name only what happened.
 */
export function stacked<K extends string>(
  days: readonly Day[],
  pick: (day: Day) => Record<K, number>,
  order: readonly K[],
): Stacked<K> {
  const keys = order.filter((key) => days.some((day) => (pick(day)[key] ?? 0) > 0));
  return {
    keys,
    rows: days.map((day) => ({
      date: day.date,
      counts: keys.map((key) => pick(day)[key] ?? 0),
      total: day.total,
    })),
  };
}

/** Incidents over the whole period. */
export function periodTotal(days: readonly Day[]): number {
  return days.reduce((sum, day) => sum + day.total, 0);
}

/** A UTC calendar date (`YYYY-MM-DD`) as the instant it starts, to be formatted in the UTC time zone. */
export function dayStart(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

/** The overview periods offered, in days; the first is the default. */
export const PERIODS = [30, 7, 90] as const;
export type Period = (typeof PERIODS)[number];

export function periodFrom(value: string | null): Period {
  return PERIODS.find((period) => String(period) === value) ?? PERIODS[0];
}
