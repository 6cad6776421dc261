import { Injectable } from '@nestjs/common';
import {
  submittedEntry,
  timelineEntryFor,
  type CorrelationView,
  type Principal,
  type TimelineEntryView,
} from '@corridor/domain';
import { TimelineRepository, timelineSortKey } from '@corridor/persistence';
import { IncidentAccess } from '../../incident-access.service';
import { IncidentDetails } from '../../incident-details.service';
import { invalid } from '../../incident-filters';

const DEFAULT_PAGE = 50;
/** `<ISO date>|<entry id>`. */
const SORT_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\|[A-Za-z0-9_.:-]{1,200}$/;

export function decodeTimelineCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const after = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!SORT_KEY.test(after)) throw invalid('cursor', 'is not a cursor this api issued');
  return after;
}

export function encodeTimelineCursor(sortKey: string): string {
  return Buffer.from(sortKey, 'utf8').toString('base64url');
}

/**
 * What happened to an incident the caller may see, oldest first: its submission, processing,
 * correlations the caller may learn of (worded by the one correlation rule), changes and comments.
 */
@Injectable()
export class IncidentTimeline {
  constructor(
    private readonly access: IncidentAccess,
    private readonly timeline: TimelineRepository,
    private readonly details: IncidentDetails,
  ) {}

  async execute(
    principal: Principal,
    id: string,
    query: { cursor?: string; limit?: number },
  ): Promise<{ items: TimelineEntryView[]; nextCursor: string | null }> {
    const { incident, viewer, sharing } = await this.access.requireVisible(principal, id);
    const after = decodeTimelineCursor(query.cursor);
    const limit = query.limit ?? DEFAULT_PAGE;
    // The submission comes first; it is derived from the incident, so it only opens the first page.
    const first = after === undefined ? [submittedEntry(incident)] : [];
    const page = await this.timeline.page(id, after, limit - first.length);
    const entries = [...first, ...page.items];
    const views = new Map<string, CorrelationView>();
    if (entries.some((e) => e.kind === 'correlated')) {
      for (const view of await this.details.correlationsOf(incident, viewer, sharing)) views.set(view.id, view);
    }
    const items: TimelineEntryView[] = [];
    for (const entry of entries) {
      const view = timelineEntryFor(entry, incident, viewer.orgId, sharing, (correlationId) =>
        views.get(correlationId),
      );
      if (view) items.push(view);
    }
    const last = entries.at(-1);
    return { items, nextCursor: page.hasMore && last ? encodeTimelineCursor(timelineSortKey(last)) : null };
  }
}
