import { compareEventIds } from '@corridor/realtime';
import { isNewerEventId } from './event-id';

describe('isNewerEventId', () => {
  const pairs: Array<[string, string]> = [
    ['1700000000001-0', '1700000000000-9'],
    ['1700000000000-10', '1700000000000-9'],
    ['1700000000000-9', '1700000000000-10'],
    ['1700000000000-3', '1700000000000-3'],
    ['999-0', '1000-0'],
  ];

  it('orders by time, then by sequence, numerically', () => {
    expect(pairs.map(([a, b]) => isNewerEventId(a, b))).toEqual([true, true, false, false, false]);
  });

  it('agrees with the server order', () => {
    for (const [a, b] of pairs) expect(isNewerEventId(a, b)).toBe(compareEventIds(a, b) > 0);
  });
});
