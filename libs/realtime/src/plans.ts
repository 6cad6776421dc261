import {
  alertViewFor,
  audienceOf,
  type Alert,
  commentViewFor,
  contactViewFor,
  correlationViewFor,
  incidentSummaryFor,
  principalsOf,
  sidesOf,
  timelineEntryFor,
  type ContactRequest,
  type Correlation,
  type CorrelationAck,
  type Incident,
  type IncidentComment,
  type SharingContext,
  type TimelineEntry,
  type User,
  type WatchHit,
  watchHitViewFor,
  canSee,
  retractionViewFor,
  type IndicatorType,
  type Retraction,
} from '@corridor/domain';
import {
  ledgerMember,
  readerKey,
  viewerOfReader,
  type Delivery,
  type DeliveryPlan,
  type Reader,
} from './delivery-plan';
import type { EventName, EventPayloads } from './events';

/**
 * The pure planners: for each kind of event, its readers and each reader's payload, from the
 * visibility rule, the organization display and the disclosure policies REST uses. Api and worker
 * publish only plans made here.
 */

/** Which organization a person or API key belongs to, and whether it is a person (RED names people). */
export type PrincipalDirectory = ReadonlyMap<string, { orgId: string; isUser: boolean }>;

function principalReader(id: string, principals: PrincipalDirectory, fallbackOrgId: string): Reader {
  const known = principals.get(id);
  // An author missing from the directory of people is an API key of the submitting organization.
  return { kind: 'principal', principalId: id, orgId: known?.orgId ?? fallbackOrgId, isUser: known?.isUser ?? false };
}

/** Everyone who may see the incident: organizations, or (RED) its author and named people. */
export function incidentReaders(incident: Incident, sharing: SharingContext, principals: PrincipalDirectory): Reader[] {
  const audience = audienceOf(incident, sharing.peersOf(incident.orgId));
  const orgIds = audience.everyone ? sharing.organizationIds() : audience.orgIds;
  return [
    ...orgIds.map((orgId): Reader => ({ kind: 'organization', orgId })),
    ...audience.principalIds.map((id) => principalReader(id, principals, incident.orgId)),
  ];
}

/** Whether `reader` is among `readers`, itself or (a person or key) through its organization. */
function isAmong(readers: readonly Reader[], reader: Reader): boolean {
  const key = readerKey(reader);
  return readers.some(
    (other) =>
      readerKey(other) === key ||
      (reader.kind === 'principal' && other.kind === 'organization' && other.orgId === reader.orgId),
  );
}

/**
 * After a change of TLP or recipients: `incident.withdrawn` to readers who could see the incident
 * and no longer may, `incident.shared` (its summary) to readers who now may and could not. A person
 * who still sees it while their organization no longer does (RED naming them) is told it is shared
 * after their organization is told it is withdrawn: publish `withdrawn` first. The withdrawal names
 * no incident for replay (it tells only an id the reader had); the sharing is re-checked at replay.
 */
export function planIncidentAudienceChange(
  before: Incident,
  after: Incident,
  sharing: SharingContext,
  principalsBefore: PrincipalDirectory,
  principalsAfter: PrincipalDirectory,
): { withdrawn: DeliveryPlan<'incident.withdrawn'>; shared: DeliveryPlan<'incident.shared'> } {
  const was = incidentReaders(before, sharing, principalsBefore);
  const is = incidentReaders(after, sharing, principalsAfter);
  const gone = was.filter((reader) => !isAmong(is, reader));
  const goneOrgs = new Set(gone.filter((reader) => reader.kind === 'organization').map((reader) => reader.orgId));
  const gained = is.filter(
    (reader) => !isAmong(was, reader) || (reader.kind === 'principal' && goneOrgs.has(reader.orgId)),
  );
  return {
    withdrawn: plan('incident.withdrawn', 'feed', undefined, gone, () => ({ incidentId: after.id })),
    shared: plan('incident.shared', 'feed', after.id, gained, (reader) =>
      incidentSummaryFor(after, reader.orgId, sharing),
    ),
  };
}

/**
 * The readers who own an incident's side of things (its alerts, acknowledgements, contact requests):
 * its organization, or for RED its author and named people.
 */
export function ownerReaders(incident: Incident, principals: PrincipalDirectory): Reader[] {
  if (incident.tlp !== 'RED') return [{ kind: 'organization', orgId: incident.orgId }];
  return principalsOf(incident).map((id) => principalReader(id, principals, incident.orgId));
}

function plan<E extends EventName>(
  event: E,
  scope: 'feed' | 'incident',
  incidentId: string | undefined,
  readers: readonly Reader[],
  payloadFor: (reader: Reader) => EventPayloads[E] | undefined,
  about?: readonly string[],
): DeliveryPlan<E> {
  const deliveries: Array<Delivery<E>> = [];
  for (const reader of readers) {
    const payload = payloadFor(reader);
    if (payload !== undefined) deliveries.push({ reader, payload });
  }
  return { event, scope, incidentId, deliveries, ...(about ? { about } : {}) };
}

export function planIncidentCreated(
  incident: Incident,
  sharing: SharingContext,
  principals: PrincipalDirectory,
): DeliveryPlan<'incident.created'> {
  return plan('incident.created', 'feed', incident.id, incidentReaders(incident, sharing, principals), (reader) =>
    incidentSummaryFor(incident, reader.orgId, sharing),
  );
}

export function planIncidentUpdated(
  incident: Incident,
  sharing: SharingContext,
  principals: PrincipalDirectory,
): DeliveryPlan<'incident.updated'> {
  const payload = {
    incidentId: incident.id,
    status: incident.status,
    tlp: incident.tlp,
    updatedAt: incident.updatedAt.toISOString(),
  };
  return plan('incident.updated', 'feed', incident.id, incidentReaders(incident, sharing, principals), () => payload);
}

/**
 * Enrichment of `indicators` (as now stored on `incident`) to everyone who may see the incident, the
 * same for each: whoever reads an incident reads all its indicators.
 */
export function planIncidentEnriched(
  incident: Incident,
  source: string,
  indicators: ReadonlyArray<Pick<Incident['indicators'][number], 'type' | 'value' | 'enrichment'>>,
  sharing: SharingContext,
  principals: PrincipalDirectory,
): DeliveryPlan<'incident.enriched'> {
  const payload = {
    incidentId: incident.id,
    source,
    indicators: indicators.map(({ type, value, enrichment }) => ({ type, value, enrichment })),
  };
  return plan('incident.enriched', 'feed', incident.id, incidentReaders(incident, sharing, principals), () => payload);
}

/** The count of correlations goes to readers of the submitting organization only. */
export function planIncidentCorrelated(
  incident: Incident,
  correlations: number,
  sharing: SharingContext,
  principals: PrincipalDirectory,
): DeliveryPlan<'incident.correlated'> {
  return plan('incident.correlated', 'feed', incident.id, incidentReaders(incident, sharing, principals), (reader) =>
    reader.orgId === incident.orgId
      ? { incidentId: incident.id, state: 'correlated', correlations }
      : { incidentId: incident.id, state: 'correlated' },
  );
}

export function planIncidentFailed(
  incident: Incident,
  reason: string,
  sharing: SharingContext,
  principals: PrincipalDirectory,
): DeliveryPlan<'incident.failed'> {
  const payload = { incidentId: incident.id, state: 'failed' as const, reason };
  return plan('incident.failed', 'feed', incident.id, incidentReaders(incident, sharing, principals), () => payload);
}

export function planIncidentCommented(
  incident: Incident,
  comment: IncidentComment,
  sharing: SharingContext,
  principals: PrincipalDirectory,
): DeliveryPlan<'incident.commented'> {
  return plan(
    'incident.commented',
    'incident',
    incident.id,
    incidentReaders(incident, sharing, principals),
    (reader) => ({
      incidentId: incident.id,
      comment: commentViewFor(comment, reader.orgId, sharing, incident),
    }),
  );
}

/**
 * A new timeline entry of `incident`, to the sockets that joined it, each reader getting the entry as
 * GET /api/v1/incidents/:id/timeline words it for that reader (none where the reader may not learn of
 * it). A `correlated` entry needs its correlation and the other side (`related`).
 */
export function planTimelineEntry(
  entry: TimelineEntry,
  incident: Incident,
  sharing: SharingContext,
  principals: PrincipalDirectory,
  related?: { correlation: Correlation; other: Incident; contact?: ContactRequest },
): DeliveryPlan<'incident.timeline'> {
  const readers = incidentReaders(incident, sharing, principals);
  // As for alerts: people of a reading organization named on a RED other side may see more of the
  // correlation than their organization as a whole, so they get a delivery of their own.
  if (related && incident.tlp !== 'RED') {
    const orgs = new Set(readers.map((reader) => reader.orgId));
    for (const id of principalsOf(related.other)) {
      const reader = principalReader(id, principals, related.other.orgId);
      if (orgs.has(reader.orgId)) readers.push(reader);
    }
  }
  return plan(
    'incident.timeline',
    'incident',
    incident.id,
    readers,
    (reader) =>
      timelineEntryFor(entry, incident, reader.orgId, sharing, (correlationId) =>
        related && related.correlation.id === correlationId
          ? correlationViewFor(
              viewerOfReader(reader, sharing),
              related.correlation,
              incident,
              related.other,
              sharing,
              related.contact,
            )
          : undefined,
      ),
    related ? [incident.id, related.other.id] : undefined,
  );
}

/**
 * The alert of one side of a correlation (`own`), to the readers owning that side, each told of the
 * other side what the correlation view allows them (named recipients of another organization only
 * when they may see the other incident). People of `own`'s organization named on a RED other side
 * may see more than their organization as a whole: they get a delivery of their own.
 */
export function planCorrelationAlert(
  correlation: Correlation & { acks?: readonly CorrelationAck[] },
  own: Incident,
  other: Incident,
  sharing: SharingContext,
  principals: PrincipalDirectory,
  contact?: ContactRequest,
): DeliveryPlan<'correlation.alert'> {
  const readers = ownerReaders(own, principals);
  if (own.tlp !== 'RED') {
    for (const id of principalsOf(other)) {
      const reader = principalReader(id, principals, other.orgId);
      if (reader.orgId === own.orgId) readers.push(reader);
    }
  }
  return plan(
    'correlation.alert',
    'feed',
    own.id,
    readers,
    (reader) => correlationViewFor(viewerOfReader(reader, sharing), correlation, own, other, sharing, contact),
    [own.id, other.id],
  );
}

/** An acknowledgement, to the readers of the acknowledging organization that own its side. */
export function planCorrelationAcknowledged(
  correlation: Correlation,
  own: Incident,
  ack: CorrelationAck,
  principals: PrincipalDirectory,
): DeliveryPlan<'correlation.acknowledged'> {
  const payload = {
    id: correlation.id,
    yourIncidentId: sidesOf(correlation, own.id).own.incidentId,
    by: ack.userId,
    at: ack.at.toISOString(),
  };
  const readers = ownerReaders(own, principals).filter((reader) => reader.orgId === ack.orgId);
  return plan('correlation.acknowledged', 'feed', own.id, readers, () => payload);
}

/**
 * A contact request or its answer, to one side of it: `side` is that side's incident (the requester's
 * or the owner's); each reader gets the request as its organization sees it.
 */
export function planContact<E extends 'contact.requested' | 'contact.answered'>(
  event: E,
  request: ContactRequest,
  side: Incident,
  sharing: SharingContext,
  principals: PrincipalDirectory,
): DeliveryPlan<E> {
  const readers = ownerReaders(side, principals).filter((reader) => reader.orgId === side.orgId);
  return plan(event, 'feed', side.id, readers, (reader) => {
    const contact = contactViewFor(request, reader.orgId, sharing);
    if (!contact) return undefined;
    const payload: EventPayloads['contact.requested'] = {
      correlationId: request.correlationId,
      yourIncidentId: side.id,
      contact,
    };
    return payload;
  });
}

/**
 * A watched value found in an incident, to the watching organization's readers, each told of the
 * incident what `watchHitViewFor` allows (the counterpart rule of correlation alerts). People of the
 * watching organization named on a RED incident may see more than their organization as a whole: they
 * get a delivery of their own, as for alerts. Not tied to the incident for replay (the hit is the
 * watching organization's own news); a replay re-words a counterpart the reader may no longer see.
 */
export function planWatchlistHit(
  hit: WatchHit,
  incident: Incident,
  sharing: SharingContext,
  principals: PrincipalDirectory,
): DeliveryPlan<'watchlist.hit'> {
  const readers: Reader[] = [{ kind: 'organization', orgId: hit.orgId }];
  for (const id of principalsOf(incident)) {
    const reader = principalReader(id, principals, incident.orgId);
    if (reader.orgId === hit.orgId) readers.push(reader);
  }
  return plan(
    'watchlist.hit',
    'feed',
    undefined,
    readers,
    (reader) => watchHitViewFor(viewerOfReader(reader, sharing), hit, incident, sharing),
    [incident.id],
  );
}

/** A new account, announced to the org-admins of its organization. */
export function planUserCreated(
  user: User,
  orgAdmins: ReadonlyArray<Pick<User, 'id' | 'orgId'>>,
  by: string,
): DeliveryPlan<'user.created'> {
  const payload = {
    user: {
      id: user.id,
      orgId: user.orgId,
      email: user.email,
      name: user.name,
      roles: [...user.roles],
      language: user.language,
      createdAt: user.createdAt.toISOString(),
    },
    by,
  };
  const readers = orgAdmins
    .filter((admin) => admin.orgId === user.orgId)
    .map((admin): Reader => ({ kind: 'principal', principalId: admin.id, orgId: admin.orgId, isUser: true }));
  return plan('user.created', 'feed', undefined, readers, () => payload);
}

/**
 * An alert of a rule changed: to the alert's organization (its on-call room), and to those of its
 * people named on a RED incident, each worded by `alertViewFor` (the incident only to who may see it).
 */
export function planAlertChanged(
  alert: Alert,
  change: EventPayloads['alert.changed']['change'],
  sharing: SharingContext,
  principals: PrincipalDirectory,
): DeliveryPlan<'alert.changed'> {
  const readers: Reader[] = [{ kind: 'organization', orgId: alert.orgId }];
  for (const id of principalsOf(alert.incident)) {
    const reader = principalReader(id, principals, alert.incident.orgId);
    if (reader.orgId === alert.orgId) readers.push(reader);
  }
  return plan(
    'alert.changed',
    'feed',
    undefined,
    readers,
    (reader) => ({ change, alert: alertViewFor(viewerOfReader(reader, sharing), alert) }),
    [alert.incident.id],
  );
}

/** An escalation step paged these people (of the alert's organization), each worded for them. */
export function planAlertPaged(
  alert: Alert,
  step: number,
  level: number | 'org-admins',
  userIds: readonly string[],
  sharing: SharingContext,
): DeliveryPlan<'alert.paged'> {
  const readers = [...new Set(userIds)].map((id): Reader => ({
    kind: 'principal',
    principalId: id,
    orgId: alert.orgId,
    isUser: true,
  }));
  return plan(
    'alert.paged',
    'feed',
    undefined,
    readers,
    (reader) => ({ alert: alertViewFor(viewerOfReader(reader, sharing), alert), step, level }),
    [alert.incident.id],
  );
}

/**
 * A retraction, to the readers who were told of its incident (the ledger, plus whoever may see the
 * incident now), each worded by `retractionViewFor`: the incident's id, the reason and the indicator
 * only to readers who may see the incident or were told it before (`knew`: ledger members, see
 * `EventLog.told`). Not tied to the incident for replay (it is gone).
 */
export function planRetracted(
  retraction: Retraction,
  incident: Incident,
  readers: readonly Reader[],
  withdrawn: { correlations: readonly Correlation[]; alerts: readonly Alert[] },
  sharing: SharingContext,
  indicator?: { type: IndicatorType; value: string },
  knew: ReadonlySet<string> = new Set(),
): DeliveryPlan<'incident.retracted' | 'indicator.retracted'> {
  const distinct = new Map(readers.map((reader) => [readerKey(reader), reader]));
  const event = retraction.scope === 'incident' ? 'incident.retracted' : 'indicator.retracted';
  return plan(event, 'feed', undefined, [...distinct.values()], (reader) =>
    retractionViewFor(
      retraction,
      {
        orgId: reader.orgId,
        // Who may see it now, or was told it before (an exporter who lost sight of it since knows its id).
        seesIncident: canSee(viewerOfReader(reader, sharing), incident) || knew.has(ledgerMember(reader)),
      },
      withdrawn,
      indicator,
    ),
  );
}
