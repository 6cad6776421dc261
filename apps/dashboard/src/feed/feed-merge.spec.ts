import type { FeedRow } from '../api/types';
import {
  changePages,
  createdInPages,
  mergeCorrelated,
  mergeCreated,
  mergeUpdated,
  withdrawnFromPages,
  type FeedPages,
} from './feed-merge';

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

  const pages = (...pages: Array<{ items: FeedRow[]; nextCursor: string | null }>): FeedPages => ({
    pages,
    pageParams: pages.map((_, i) => (i === 0 ? null : `cursor-${i}`)),
  });
  const ids = (data: FeedPages) => data.pages.map((page) => page.items.map((r) => r.id));
  const everything = () => true;

  it('puts a new incident among the loaded pages where its createdAt belongs', () => {
    const data = pages({ items: rows.slice(0, 2), nextCursor: 'x' }, { items: rows.slice(2), nextCursor: null });
    const newest = createdInPages(data, { ...row('n', '2026-11-29T10:00:04.000Z'), eventId: '1-0' }, everything);
    expect(ids(newest)).toEqual([['n', 'c', 'b'], ['a']]);
    expect(newest.pages[1]).toBe(data.pages[1]);
    const between = createdInPages(data, { ...row('m', '2026-11-29T10:00:01.500Z'), eventId: '1-1' }, everything);
    expect(ids(between)).toEqual([
      ['c', 'b'],
      ['m', 'a'],
    ]);
  });

  it('leaves an older incident to the page not read yet, and appends it when every page is read', () => {
    const oldest = { ...row('o', '2026-11-29T09:00:00.000Z'), eventId: '1-2' };
    const partial = pages({ items: rows, nextCursor: 'more' });
    expect(createdInPages(partial, oldest, everything)).toBe(partial);
    const complete = pages({ items: rows, nextCursor: null });
    expect(ids(createdInPages(complete, oldest, everything))).toEqual([['c', 'b', 'a', 'o']]);
  });

  it('does not insert an incident the filters refuse, but updates one already listed', () => {
    const data = pages({ items: rows, nextCursor: null });
    const refused = createdInPages(data, { ...row('n', '2026-11-29T10:00:04.000Z'), eventId: '1-3' }, () => false);
    expect(refused).toBe(data);
    const replay = createdInPages(data, { ...row('b', rows[1].createdAt, 'renamed'), eventId: '1-4' }, () => false);
    expect(ids(replay)).toEqual([['c', 'b', 'a']]);
    expect(replay.pages[0]?.items[1]?.title).toBe('renamed');
  });

  it('changes rows in place across pages and keeps untouched pages as they were', () => {
    const data = pages({ items: rows.slice(0, 1), nextCursor: 'x' }, { items: rows.slice(1), nextCursor: null });
    const changed = changePages(data, (list) =>
      mergeCorrelated(list, { incidentId: 'a', state: 'correlated', eventId: '1-5' }),
    );
    expect(changed.pages[0]).toBe(data.pages[0]);
    expect(changed.pages[1]?.items.map((r) => r.state)).toEqual(['pending', 'correlated']);
    expect(changePages(data, (list) => [...list])).toBe(data);
  });

  it('drops a withdrawn incident from whichever page holds it, and leaves the others as they were', () => {
    const data = pages({ items: rows.slice(0, 1), nextCursor: 'x' }, { items: rows.slice(1), nextCursor: null });
    const withdrawn = withdrawnFromPages(data, 'b');
    expect(ids(withdrawn)).toEqual([['c'], ['a']]);
    expect(withdrawn.pages[0]).toBe(data.pages[0]);
    expect(withdrawnFromPages(data, 'unknown')).toBe(data);
  });
});
