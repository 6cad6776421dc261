import type { Delivered, FeedRow } from '../api/types';

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

/** The rows a filter text selects: every word must appear in the title, organization or classification. */
export function filterRows(rows: readonly FeedRow[], text: string): readonly FeedRow[] {
  const words = text.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return rows;
  return rows.filter((row) => {
    const haystack = [
      row.title,
      row.organization.name,
      row.classification.class,
      row.classification.type,
      row.tlp,
      row.severity,
    ]
      .join(' ')
      .toLocaleLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}
