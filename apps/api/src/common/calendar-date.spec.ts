import { isCalendarDateTime } from './calendar-date';

describe('isCalendarDateTime', () => {
  it.each([
    '2026-11-24',
    '2026-11-24T08:30:00Z',
    '2026-11-24T08:30Z',
    '2026-11-24T08:30:00.123456+05:00',
    '2024-02-29T00:00:00Z',
  ])('accepts %s', (value) => expect(isCalendarDateTime(value)).toBe(true));

  it.each([
    '2026-W48-1',
    '2026-W48',
    '2026-333',
    '2026-02-31T00:00:00Z',
    '2026-13-01',
    '2026-11-24T25:00:00Z',
    '20261124',
    '',
    'yesterday',
    12,
  ])('refuses %s', (value) => expect(isCalendarDateTime(value)).toBe(false));
});
