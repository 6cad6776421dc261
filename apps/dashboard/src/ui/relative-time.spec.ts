import { formatRelative, relativeParts } from './relative-time';

describe('relative times', () => {
  const now = new Date('2026-11-29T12:00:00.000Z');
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

  it('picks the largest whole unit', () => {
    expect(relativeParts(ago(20), now)).toEqual({ value: -20, unit: 'second' });
    expect(relativeParts(ago(150), now)).toEqual({ value: -2, unit: 'minute' });
    expect(relativeParts(ago(3 * 3600 + 5), now)).toEqual({ value: -3, unit: 'hour' });
    expect(relativeParts(ago(26 * 3600), now)).toEqual({ value: -1, unit: 'day' });
    expect(relativeParts(ago(0), now)).toEqual({ value: 0, unit: 'second' });
    expect(relativeParts(new Date(now.getTime() + 90_000), now)).toEqual({ value: 1, unit: 'minute' });
  });

  it('words it in the language of the page', () => {
    expect(formatRelative(ago(150), now, 'en')).toBe('2 minutes ago');
    expect(formatRelative(ago(26 * 3600), now, 'en')).toBe('yesterday');
    expect(formatRelative(ago(150), now, 'ar')).toMatch(/دقيقت/);
    expect(formatRelative(ago(3 * 3600), now, 'ur')).toMatch(/گھنٹے/);
  });
});
