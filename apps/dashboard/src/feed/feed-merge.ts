import type { Delivered, FeedPage, FeedRow } from '../api/types';

/**
 * Live events merged into the feed in place: an existing row keeps its position and identity, a new
 * incident is inserted where its `createdAt` puts it (newest first), nothing else moves.
 */
export function mergeCreated(rows: readonly FeedRow[], event: Delivered<'incident.created'>): FeedRow[] {
  const { eventId: _eventId, ...summary } = event;
  const at = rows.findIndex((row) => row.id === summary.id);
  if (at >= 0) return rows.map((row, i) => (i === at ? { ...row, ...summary } : row));
  const before = rows.findIndex((row) => row.createdAt < summary.createdAt);
  const index = before < 0 ? rows.length : before;
  return [...rows.slice(0, index), summary, ...rows.slice(index)];
}

export function mergeUpdated(rows: readonly FeedRow[], event: Delivered<'incident.updated'>): FeedRow[] {
  return patch(rows, event.incidentId, { status: event.status, tlp: event.tlp, updatedAt: event.updatedAt });
}

export function mergeCorrelated(rows: readonly FeedRow[], event: Delivered<'incident.correlated'>): FeedRow[] {
  return patch(rows, event.incidentId, { state: event.state });
}

function patch(rows: readonly FeedRow[], id: string, change: Partial<FeedRow>): FeedRow[] {
  return rows.map((row) => (row.id === id ? { ...row, ...change } : row));
}

/** An incident the reader may no longer see leaves every loaded page. */
export function withdrawnFromPages(data: FeedPages, incidentId: string): FeedPages {
  return changePages(data, (rows) => rows.filter((row) => row.id !== incidentId));
}

/** The feed's loaded pages, as the query cache keeps them. */
export interface FeedPages {
  pages: FeedPage[];
  pageParams: unknown[];
}

/** Applies `change` to the rows of every loaded page; a page whose rows did not change is kept as it was. */
export function changePages(data: FeedPages, change: (rows: readonly FeedRow[]) => FeedRow[]): FeedPages {
  let changed = false;
  const pages = data.pages.map((page) => {
    const items = change(page.items);
    if (items.length === page.items.length && items.every((row, i) => row === page.items[i])) return page;
    changed = true;
    return { ...page, items };
  });
  return changed ? { ...data, pages } : data;
}

/**
 * A new incident into the loaded pages of a filtered feed: a known one is updated in place wherever it
 * is; a new one that `accepts` goes where its `createdAt` puts it among the loaded rows, or after the
 * last one when there is no page after it (otherwise that later page brings it).
 */
export function createdInPages(
  data: FeedPages,
  event: Delivered<'incident.created'>,
  accepts: (row: FeedRow) => boolean,
): FeedPages {
  if (data.pages.some((page) => page.items.some((row) => row.id === event.id))) {
    return changePages(data, (rows) => mergeCreated(rows, event));
  }
  const { eventId: _eventId, ...summary } = event;
  if (!accepts(summary)) return data;
  let at = data.pages.findIndex((page) => page.items.some((row) => row.createdAt < summary.createdAt));
  const last = data.pages.length - 1;
  if (at < 0) {
    if (last < 0 || data.pages[last]?.nextCursor) return data;
    at = last;
  }
  return {
    ...data,
    pages: data.pages.map((page, i) => (i === at ? { ...page, items: mergeCreated(page.items, event) } : page)),
  };
}
