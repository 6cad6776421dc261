import type { TimelineEntry } from '../api/types';
import { addLiveEntry, timelineEntries, type TimelinePages } from './timeline-merge';

const entry = (id: string, at: string): TimelineEntry => ({ id, incidentId: 'i1', at, by: null, kind: 'submitted' });
const pages = (...lists: TimelineEntry[][]): TimelinePages => ({
  pages: lists.map((items, index) => ({ items, nextCursor: index < lists.length - 1 ? `c${index}` : null })),
  pageParams: lists.map((_, index) => (index === 0 ? null : `c${index - 1}`)),
});

describe('timeline merge', () => {
  const a = entry('a', '2026-11-29T10:00:00.000Z');
  const b = entry('b', '2026-11-29T10:00:01.000Z');
  const c = entry('c', '2026-11-29T10:00:02.000Z');

  it('appends a live entry to the last page once', () => {
    const data = pages([a], [b]);
    const once = addLiveEntry(data, c);
    expect(once.pages[1]?.items.map((e) => e.id)).toEqual(['b', 'c']);
    expect(once.pages[0]).toBe(data.pages[0]);
    expect(addLiveEntry(once, c)).toBe(once);
    expect(addLiveEntry(once, a)).toBe(once);
  });

  it('lists entries oldest first, by time then id, each once', () => {
    // A live entry arrived before the page holding older ones was read.
    const data = addLiveEntry(pages([a]), c);
    const later = { ...data, pages: [...data.pages, { items: [b, c], nextCursor: null }] };
    expect(timelineEntries(later).map((e) => e.id)).toEqual(['a', 'b', 'c']);
    const tie = entry('0', a.at);
    expect(timelineEntries(pages([a, tie])).map((e) => e.id)).toEqual(['0', 'a']);
    expect(timelineEntries(undefined)).toEqual([]);
  });
});
