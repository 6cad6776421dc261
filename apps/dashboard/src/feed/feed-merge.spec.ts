import type { FeedRow } from '../api/types';
import { filterRows, mergeCorrelated, mergeCreated, mergeUpdated } from './feed-merge';

const row = (id: string, createdAt: string, title = `incident ${id}`): FeedRow => ({
  id,
  organization: { id: 'org-1', name: 'CERT-PK' },
  title,
  severity: 'high',
  tlp: 'GREEN',
  classification: { class: 'fraud', type: 'phishing' },
  state: 'pending',
  status: 'new',
  createdAt,
});

describe('feed merge', () => {
  const rows = [
    row('c', '2026-11-29T10:00:03.000Z'),
    row('b', '2026-11-29T10:00:02.000Z'),
    row('a', '2026-11-29T10:00:01.000Z'),
  ];

  it('inserts a new incident by createdAt and leaves the others as they were', () => {
    const merged = mergeCreated(rows, { ...row('n', '2026-11-29T10:00:04.000Z'), eventId: '1-0' });
    expect(merged.map((r) => r.id)).toEqual(['n', 'c', 'b', 'a']);
    expect(merged[1]).toBe(rows[0]);
    expect(merged[0]).not.toHaveProperty('eventId');
    const late = mergeCreated(rows, { ...row('m', '2026-11-29T10:00:02.500Z'), eventId: '1-1' });
    expect(late.map((r) => r.id)).toEqual(['c', 'm', 'b', 'a']);
  });

  it('replays of a known incident update it in place', () => {
    const merged = mergeCreated(rows, { ...row('b', '2026-11-29T10:00:02.000Z', 'renamed'), eventId: '1-2' });
    expect(merged.map((r) => r.id)).toEqual(['c', 'b', 'a']);
    expect(merged[1]?.title).toBe('renamed');
  });

  it('applies updates and correlation states in place', () => {
    const updated = mergeUpdated(rows, {
      incidentId: 'b',
      status: 'investigating',
      tlp: 'AMBER',
      updatedAt: '2026-11-29T11:00:00.000Z',
      eventId: '1-3',
    });
    expect(updated[1]).toMatchObject({ id: 'b', status: 'investigating', tlp: 'AMBER' });
    const correlated = mergeCorrelated(updated, { incidentId: 'a', state: 'correlated', eventId: '1-4' });
    expect(correlated.map((r) => [r.id, r.state])).toEqual([
      ['c', 'pending'],
      ['b', 'pending'],
      ['a', 'correlated'],
    ]);
  });

  it('filters on every word typed', () => {
    expect(filterRows(rows, '').length).toBe(3);
    expect(filterRows(rows, 'incident b').map((r) => r.id)).toEqual(['b']);
    expect(filterRows(rows, 'PHISH cert').length).toBe(3);
    expect(filterRows(rows, 'nothing-like-this').length).toBe(0);
  });
});
