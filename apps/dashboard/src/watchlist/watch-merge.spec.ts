import type { WatchEntry, WatchHit } from '../api/types';
import {
  entriesOf,
  entryRemoved,
  hitArrived,
  hitsOf,
  unseenAfter,
  type WatchEntryPages,
  type WatchHitPages,
} from './watch-merge';

const hit = (
  id: string,
  counterpart: WatchHit['counterpart'] = { disclosure: 'anonymous', tlp: 'AMBER' },
): WatchHit => ({
  id,
  watchId: 'wl-1',
  watched: { type: 'cidr', value: '45.9.148.0/22' },
  kind: 'ip-in-cidr',
  strength: 'medium',
  matched: null,
  counterpart,
  createdAt: '2026-11-29T10:00:00.000Z',
});
const entry = (id: string): WatchEntry => ({
  id,
  type: 'domain',
  value: `${id}.example`,
  note: null,
  warnings: [],
  createdBy: 'user-1',
  createdAt: '2026-11-29T10:00:00.000Z',
});
function pages<T>(...pages: Array<{ items: T[]; nextCursor: string | null }>) {
  return { pages, pageParams: pages.map((_, i) => (i === 0 ? null : `c${i}`)) };
}

describe('watch hits, merged live', () => {
  const data: WatchHitPages = pages(
    { items: [hit('h2'), hit('h1')], nextCursor: 'c1' },
    { items: [hit('h0')], nextCursor: null },
  );

  it('puts a new hit at the top without the event id, leaving the other pages as they were', () => {
    const next = hitArrived(data, { ...hit('h3'), eventId: '7-0' });
    expect(hitsOf(next).map((h) => h.id)).toEqual(['h3', 'h2', 'h1', 'h0']);
    expect(hitsOf(next)[0]).not.toHaveProperty('eventId');
    expect(next.pages[1]).toBe(data.pages[1]);
  });

  it('rewords a replayed hit where it is', () => {
    const full: WatchHit['counterpart'] = {
      disclosure: 'full',
      organization: { id: 'o', name: 'CERT-SA' },
      incident: {
        id: 'i',
        title: 'Scans',
        severity: 'low',
        classification: { class: 'information-gathering', type: 'scanner' },
        tlp: 'GREEN',
      },
    };
    const next = hitArrived(data, { ...hit('h1', full), eventId: '7-1' });
    expect(hitsOf(next).map((h) => h.id)).toEqual(['h2', 'h1', 'h0']);
    expect(hitsOf(next)[1].counterpart).toEqual(full);
    expect(next.pages[1]).toBe(data.pages[1]);
  });

  it('starts a list that had no page', () => {
    const next = hitArrived(pages<WatchHit>(), { ...hit('h1'), eventId: '7-2' });
    expect(hitsOf(next).map((h) => h.id)).toEqual(['h1']);
    expect(next.pages[0].nextCursor).toBeNull();
  });

  it('counts a hit for the navigation once, and not while the hits are on screen', () => {
    expect(unseenAfter([], 'h1', false)).toEqual(['h1']);
    const once = unseenAfter(['h1'], 'h1', false);
    expect(once).toEqual(['h1']);
    expect(unseenAfter(['h1'], 'h2', false)).toEqual(['h1', 'h2']);
    expect(unseenAfter(['h1'], 'h2', true)).toEqual(['h1']);
  });
});

describe('watch entries', () => {
  const data: WatchEntryPages = pages(
    { items: [entry('b'), entry('a')], nextCursor: 'c1' },
    { items: [entry('a')], nextCursor: null },
  );

  it('lists each entry once', () => {
    expect(entriesOf(data).map((e) => e.id)).toEqual(['b', 'a']);
    expect(entriesOf(undefined)).toEqual([]);
  });

  it('drops a removed entry from every page, and leaves the pages alone for an unknown id', () => {
    const next = entryRemoved(data, 'a');
    expect(entriesOf(next).map((e) => e.id)).toEqual(['b']);
    expect(next.pages[1].items).toEqual([]);
    expect(entryRemoved(data, 'z')).toBe(data);
  });
});
