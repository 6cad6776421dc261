import type { Alert } from '../api/types';
import {
  alertAcknowledged,
  alertArrived,
  alertsOf,
  moveSelection,
  unacknowledged,
  type AlertPages,
} from './inbox-merge';

const alert = (id: string, createdAt: string, acknowledged: Alert['acknowledged'] = null): Alert => ({
  id,
  type: 'ipv4',
  value: '203.0.113.7',
  kind: 'exact',
  strength: 'strong',
  matched: null,
  yourIncidentId: `incident-${id}`,
  counterpart: { disclosure: 'anonymous', tlp: 'AMBER' },
  acknowledged,
  contact: null,
  createdAt,
});
const acked = { by: 'user-1', at: '2026-11-29T09:30:00.000Z' };
const pages = (...pages: Array<{ items: Alert[]; nextCursor: string | null }>): AlertPages => ({
  pages,
  pageParams: pages.map((_, i) => (i === 0 ? null : `c${i}`)),
});
const ids = (data: AlertPages) => alertsOf(data).map((a) => a.id);

describe('inbox order', () => {
  // As the API lists them: unacknowledged first, then acknowledged, newest first within each.
  const data = pages(
    { items: [alert('u2', '2026-11-29T10:02:00.000Z'), alert('u1', '2026-11-29T10:01:00.000Z')], nextCursor: 'c1' },
    { items: [alert('a1', '2026-11-29T10:03:00.000Z', acked)], nextCursor: null },
  );

  it('puts a new alert at the top and leaves every other row where it was', () => {
    const next = alertArrived(data, { ...alert('n', '2026-11-29T10:04:00.000Z'), eventId: '5-0' });
    expect(ids(next)).toEqual(['n', 'u2', 'u1', 'a1']);
    expect(next.pages[1]).toBe(data.pages[1]);
    expect(alertsOf(next)[0]).not.toHaveProperty('eventId');
  });

  it('updates a replayed alert in place, keeping an acknowledgement already known', () => {
    const known = alertAcknowledged(data, { id: 'u1', ...acked });
    const replay = alertArrived(known, {
      ...alert('u1', '2026-11-29T10:01:00.000Z'),
      counterpart: { disclosure: 'nothing' },
      eventId: '5-1',
    });
    expect(ids(replay)).toEqual(['u2', 'u1', 'a1']);
    expect(alertsOf(replay)[1]).toMatchObject({ counterpart: { disclosure: 'nothing' }, acknowledged: acked });
  });

  it('marks an acknowledged alert in place, first acknowledgement standing', () => {
    const next = alertAcknowledged(data, { id: 'u2', by: 'user-2', at: '2026-11-29T10:05:00.000Z' });
    expect(ids(next)).toEqual(['u2', 'u1', 'a1']);
    expect(alertsOf(next)[0]?.acknowledged).toEqual({ by: 'user-2', at: '2026-11-29T10:05:00.000Z' });
    expect(alertAcknowledged(next, { id: 'u2', by: 'user-3', at: '2026-11-29T10:06:00.000Z' })).toBe(next);
    expect(alertAcknowledged(data, { id: 'unknown', ...acked })).toBe(data);
  });

  it('lists each alert once even when a later page repeats one', () => {
    const repeated = pages(
      { items: [alert('x', '2026-11-29T10:00:00.000Z')], nextCursor: 'c1' },
      {
        items: [alert('x', '2026-11-29T10:00:00.000Z'), alert('y', '2026-11-29T09:00:00.000Z')],
        nextCursor: null,
      },
    );
    expect(ids(repeated)).toEqual(['x', 'y']);
  });

  it('counts the unacknowledged, and says when more may wait on a page not read', () => {
    expect(unacknowledged(data)).toEqual({ count: 2, more: false });
    expect(unacknowledged(pages({ items: data.pages[0].items, nextCursor: 'c1' }))).toEqual({ count: 2, more: true });
    expect(unacknowledged(alertAcknowledged(data, { id: 'u1', ...acked }))).toEqual({ count: 1, more: false });
    expect(unacknowledged(undefined)).toEqual({ count: 0, more: false });
  });

  it('moves the selection with the arrow keys, stopping at the ends', () => {
    const list = alertsOf(data);
    expect(moveSelection(list, null, 1)).toBe('u2');
    expect(moveSelection(list, null, -1)).toBe('a1');
    expect(moveSelection(list, 'u2', 1)).toBe('u1');
    expect(moveSelection(list, 'a1', 1)).toBe('a1');
    expect(moveSelection(list, 'u2', -1)).toBe('u2');
    expect(moveSelection([], 'u2', 1)).toBeNull();
  });
});
