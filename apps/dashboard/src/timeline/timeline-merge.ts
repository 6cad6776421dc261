import type { InfiniteData } from '@tanstack/react-query';
import type { TimelineEntry, TimelinePage } from '../api/types';

export type TimelinePages = InfiniteData<TimelinePage>;

/** The api's order: by time, then id (its page key). */
const orderKey = (entry: TimelineEntry) => `${entry.at}|${entry.id}`;

/**
 * A live entry into the pages read so far: added to the last page unless it is there already (a
 * replay, or a page read after the event). The order is restored when the pages are flattened.
 */
export function addLiveEntry(data: TimelinePages, entry: TimelineEntry): TimelinePages {
  if (data.pages.some((page) => page.items.some((item) => item.id === entry.id))) return data;
  const last = data.pages.length - 1;
  return {
    ...data,
    pages: data.pages.map((page, index) => (index === last ? { ...page, items: [...page.items, entry] } : page)),
  };
}

/** The entries read so far, oldest first, each once. */
export function timelineEntries(data: TimelinePages | undefined): TimelineEntry[] {
  const seen = new Map<string, TimelineEntry>();
  for (const page of data?.pages ?? []) for (const item of page.items) if (!seen.has(item.id)) seen.set(item.id, item);
  return [...seen.values()].sort((a, b) => (orderKey(a) < orderKey(b) ? -1 : orderKey(a) > orderKey(b) ? 1 : 0));
}
