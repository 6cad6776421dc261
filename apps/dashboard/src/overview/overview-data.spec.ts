import type { OverviewReply } from '../api/types';
import { dayStart, periodFrom, periodTotal, stacked } from './overview-data';

type Day = OverviewReply['days'][number];
const zero = {
  'abusive-content': 0,
  'malicious-code': 0,
  'information-gathering': 0,
  'intrusion-attempts': 0,
  intrusions: 0,
  availability: 0,
  'information-content-security': 0,
  fraud: 0,
  vulnerable: 0,
  other: 0,
  test: 0,
};
const day = (date: string, byClassification: Partial<typeof zero>): Day => {
  const counts = { ...zero, ...byClassification };
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return { date, total, byClassification: counts, bySeverity: { low: 0, medium: 0, high: total, critical: 0 } };
};

describe('overview series', () => {
  const days = [day('2026-11-28', { fraud: 2 }), day('2026-11-29', {}), day('2026-11-30', { fraud: 1, intrusions: 3 })];

  it('stacks only what counted something, in the order given, day by day', () => {
    const order = ['intrusions', 'fraud', 'test'] as const;
    const series = stacked(days, (d) => d.byClassification, order);
    expect(series.keys).toEqual(['intrusions', 'fraud']);
    expect(series.rows).toEqual([
      { date: '2026-11-28', counts: [0, 2], total: 2 },
      { date: '2026-11-29', counts: [0, 0], total: 0 },
      { date: '2026-11-30', counts: [3, 1], total: 4 },
    ]);
    // Each day's stack adds up to its total.
    for (const row of series.rows) expect(row.counts.reduce((a, b) => a + b, 0)).toBe(row.total);
  });

  it('sums the period and reads UTC days', () => {
    expect(periodTotal(days)).toBe(6);
    expect(dayStart('2026-11-30').toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });

  it('offers 30 days unless the URL asks for another period it knows', () => {
    expect(periodFrom(null)).toBe(30);
    expect(periodFrom('7')).toBe(7);
    expect(periodFrom('90')).toBe(90);
    expect(periodFrom('1000')).toBe(30);
  });
});
