import { Injectable } from '@nestjs/common';
import {
  correlationViewFor,
  sidesOf,
  submittedEntry,
  timelineEntryFor,
  type CorrelationView,
  type Incident,
  type Principal,
  type SharingContext,
  type TimelineEntryView,
  type Viewer,
} from '@corridor/domain';
import {
  ContactRequestsRepository,
  CorrelationsRepository,
  IncidentsRepository,
  TimelineRepository,
  timelineSortKey,
} from '@corridor/persistence';
import { IncidentAccess } from '../../incident-access.service';
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
    private readonly incidents: IncidentsRepository,
    private readonly correlations: CorrelationsRepository,
    private readonly contacts: ContactRequestsRepository,
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
    const views = await this.correlationViews(
      incident,
      viewer,
      sharing,
      entries.some((e) => e.kind === 'correlated'),
    );
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

  /** The incident's correlations as the viewer may learn of them, as its detail words them. */
  private async correlationViews(
    incident: Incident,
    viewer: Viewer,
    sharing: SharingContext,
    needed: boolean,
  ): Promise<Map<string, CorrelationView>> {
    const views = new Map<string, CorrelationView>();
    if (!needed) return views;
    const correlations = await this.correlations.findForIncident(incident.id);
    const [others, contacts] = await Promise.all([
      this.incidents.findByIds(correlations.map((c) => sidesOf(c, incident.id).other.incidentId)),
      this.contacts.forCorrelations(correlations.map((c) => c.id)),
    ]);
    for (const correlation of correlations) {
      const other = others.get(sidesOf(correlation, incident.id).other.incidentId);
      if (!other) continue;
      const contact = contacts.find(
        (c) =>
          c.correlationId === correlation.id &&
          ((c.requesterOrgId === viewer.orgId && c.requesterIncidentId === incident.id) ||
            (c.ownerOrgId === viewer.orgId && c.ownerIncidentId === incident.id)),
      );
      const view = correlationViewFor(viewer, correlation, incident, other, sharing, contact);
      if (view) views.set(correlation.id, view);
    }
    return views;
  }
}
