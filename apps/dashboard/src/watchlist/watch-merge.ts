import type { Delivered, WatchEntry, WatchEntryPage, WatchHit, WatchHitListReply } from '../api/types';

/** Loaded pages of a cursor list, as the query cache keeps them. */
export interface Pages<Page> {
  pages: Page[];
  pageParams: unknown[];
}
export type WatchEntryPages = Pages<WatchEntryPage>;
export type WatchHitPages = Pages<WatchHitListReply>;

/** The loaded items in order, each once (a page read after a change may repeat one). */
function itemsOf<T extends { id: string }>(data: Pages<{ items: T[] }> | undefined): T[] {
  const seen = new Set<string>();
  const items: T[] = [];
  for (const page of data?.pages ?? []) {
    for (const item of page.items) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      items.push(item);
    }
  }
  return items;
}

/** The organization's loaded watch entries, newest first, each once. */
export const entriesOf = (data: WatchEntryPages | undefined): WatchEntry[] => itemsOf(data);

/** The organization's loaded hits, newest first, each once. */
export const hitsOf = (data: WatchHitPages | undefined): WatchHit[] => itemsOf(data);

/**
 * A live `watchlist.hit`: a new hit goes to the top (the list is newest first); a known one (a replay
 * after a reconnection, worded again for the reader now) replaces its row where it is.
 */
export function hitArrived(data: WatchHitPages, event: Delivered<'watchlist.hit'>): WatchHitPages {
  const { eventId: _eventId, ...hit } = event;
  let known = false;
  const pages = data.pages.map((page) => {
    if (!page.items.some((item) => item.id === hit.id)) return page;
    known = true;
    return { ...page, items: page.items.map((item) => (item.id === hit.id ? hit : item)) };
  });
  if (known) return { ...data, pages };
  const [first, ...rest] = data.pages;
  const top = first ? { ...first, items: [hit, ...first.items] } : { items: [hit], nextCursor: null };
  return { ...data, pages: [top, ...rest] };
}

/** A removed entry leaves every loaded page (its recorded hits stay listed). */
export function entryRemoved(data: WatchEntryPages, id: string): WatchEntryPages {
  if (!data.pages.some((page) => page.items.some((item) => item.id === id))) return data;
  return {
    ...data,
    pages: data.pages.map((page) =>
      page.items.some((item) => item.id === id)
        ? { ...page, items: page.items.filter((item) => item.id !== id) }
        : page,
    ),
  };
}

/**
 * Hits that arrived live while the person was not looking at them (the navigation's count): the ids,
 * newest last. A hit already counted, or already listed on screen, is not counted again.
 */
export function unseenAfter(unseen: readonly string[], hitId: string, onScreen: boolean): readonly string[] {
  if (onScreen || unseen.includes(hitId)) return unseen;
  return [...unseen, hitId];
}
