import { createHash } from 'node:crypto';
import { disclosureFor } from '../visibility/disclosure';
import type { OrganizationRef, SharingContext } from '../visibility/organization-display';
import { canSee, type Viewer } from '../visibility/visibility';
import {
  STRENGTH_OF_KIND,
  kindOf,
  type CorrelationKind,
  type CorrelationStrength,
  type IndexedIndicator,
} from './index-plan';
import {
  describeCounterpart,
  indicatorsOf,
  sidesOf,
  type Correlation,
  type CounterpartIncident,
  type CounterpartView,
} from './correlation';

/** An on-call acknowledgement of a correlation alert, by one organization (its first one stands). */
export interface CorrelationAck {
  orgId: string;
  userId: string;
  at: Date;
}

export const CONTACT_STATUSES = ['pending', 'accepted', 'declined'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

/**
 * A brokered contact request: the side told of an `anonymous` match (the requester) asks the owner
 * of the restricted incident to make itself known. Nothing of either identity crosses before the
 * owner accepts; a decline tells the requester "declined" and nothing more.
 */
export interface ContactRequest {
  id: string;
  correlationId: string;
  requesterOrgId: string;
  requesterIncidentId: string;
  /** The user or API key that asked. */
  requestedBy: string;
  ownerOrgId: string;
  ownerIncidentId: string;
  status: ContactStatus;
  createdAt: Date;
  answeredAt: Date | null;
  answeredBy: string | null;
}

/**
 * One request per correlation and requesting side: asking twice returns the first. A correlation has
 * one incident per organization, so this is also one request per requesting organization.
 *
 * The id is derived from the requester's incident, never its organization: the owner reads the id
 * before it accepts, and organization ids are few and listed, so a hash of one would name the
 * requester to anyone who hashes every organization id with the correlation id. Incident ids are
 * random and the owner cannot see that incident.
 */
export function contactRequestId(request: { correlationId: string; requesterIncidentId: string }): string {
  const digest = createHash('sha256')
    .update(`contact\n${request.correlationId}\n${request.requesterIncidentId}`)
    .digest('hex');
  return `contact-${digest.slice(0, 40)}`;
}

/**
 * Among a correlation's contact requests, the one that concerns a reader of `viewerOrgId` looking
 * from its incident `ownIncidentId` (as requester or as owner); the others are none of its business.
 */
export function contactOfSide(
  requests: readonly ContactRequest[],
  correlationId: string,
  viewerOrgId: string,
  ownIncidentId: string,
): ContactRequest | undefined {
  return requests.find(
    (c) =>
      c.correlationId === correlationId &&
      ((c.requesterOrgId === viewerOrgId && c.requesterIncidentId === ownIncidentId) ||
        (c.ownerOrgId === viewerOrgId && c.ownerIncidentId === ownIncidentId)),
  );
}

/**
 * A contact request as one side sees it. `organization` and `incidentId` (the other side's) are
 * present only once the owner accepted.
 */
export interface ContactView {
  id: string;
  /** `outgoing`: the reader's organization asked; `incoming`: it was asked. */
  direction: 'outgoing' | 'incoming';
  status: ContactStatus;
  createdAt: string;
  answeredAt: string | null;
  organization?: OrganizationRef;
  incidentId?: string;
}

export function contactViewFor(
  request: ContactRequest,
  viewerOrgId: string,
  sharing: SharingContext,
): ContactView | undefined {
  const direction =
    request.requesterOrgId === viewerOrgId ? 'outgoing' : request.ownerOrgId === viewerOrgId ? 'incoming' : undefined;
  if (!direction) return undefined;
  const view: ContactView = {
    id: request.id,
    direction,
    status: request.status,
    createdAt: request.createdAt.toISOString(),
    answeredAt: request.answeredAt ? request.answeredAt.toISOString() : null,
  };
  if (request.status !== 'accepted') return view;
  // Accepted: each side is named to the other by its real name (the owner chose to be known).
  const otherOrgId = direction === 'outgoing' ? request.ownerOrgId : request.requesterOrgId;
  const other = sharing.organization(otherOrgId);
  view.organization = other ? { id: other.id, name: other.name } : { id: null, name: 'unknown organization' };
  view.incidentId = direction === 'outgoing' ? request.ownerIncidentId : request.requesterIncidentId;
  return view;
}

/** A correlation as one reader sees it from one of its sides (`yourIncidentId`). */
export interface CorrelationView {
  id: string;
  /** The reader's own indicator (for an exact match, the shared one). */
  type: Correlation['type'];
  value: string;
  /** How the two indicators relate (`exact` for correlations stored before kinds existed). */
  kind: CorrelationKind;
  strength: CorrelationStrength;
  /**
   * The other side's indicator when it is not the same value, and only to a reader who may see the
   * other incident (otherwise it would tell what that incident carries): null otherwise.
   */
  matched: IndexedIndicator | null;
  yourIncidentId: string;
  counterpart: CounterpartView;
  /** The acknowledgement by the reader's organization, for readers of the side's own organization. */
  acknowledged: { by: string; at: string } | null;
  /** The contact request between the two sides that concerns the reader's organization, if any. */
  contact: ContactView | null;
  createdAt: string;
}

/**
 * The one rule for what a reader learns of a correlation, used by REST (incident detail) and by
 * every live event (alerts, acknowledgements, contact answers), so both always agree.
 *
 * `own` is the side the reader looks from; the caller has checked the reader may see it. A reader
 * outside `own`'s organization (a partner reading a shared incident) learns only of correlations whose
 * other side it may itself see: `undefined` otherwise. `own`'s organization always learns that its
 * incident matched, and of the other side what that side's owner discloses.
 */
export function correlationViewFor(
  viewer: Viewer,
  correlation: Correlation & { acks?: readonly CorrelationAck[] },
  own: CounterpartIncident,
  other: CounterpartIncident,
  sharing: SharingContext,
  contact?: ContactRequest,
): CorrelationView | undefined {
  const sides = sidesOf(correlation, own.id);
  if (sides.own.incidentId !== own.id || sides.other.incidentId !== other.id) return undefined;
  const owner = viewer.orgId === own.orgId;
  if (!owner && !canSee(viewer, other)) return undefined;
  const counterpart = counterpartViewFor(viewer, other, sharing);
  const ack = owner ? correlation.acks?.find((a) => a.orgId === own.orgId) : undefined;
  const concerns = contact !== undefined && contact.correlationId === correlation.id;
  const contactView = concerns ? contactViewFor(contact, viewer.orgId, sharing) : undefined;
  const indicators = indicatorsOf(correlation, own.id);
  const kind = kindOf(correlation);
  return {
    id: correlation.id,
    type: indicators.own.type,
    value: indicators.own.value,
    kind,
    strength: STRENGTH_OF_KIND[kind],
    matched: kind !== 'exact' && counterpart.disclosure === 'full' ? indicators.other : null,
    yourIncidentId: own.id,
    counterpart,
    acknowledged: ack ? { by: ack.userId, at: ack.at.toISOString() } : null,
    contact: contactView ?? null,
    createdAt: correlation.createdAt.toISOString(),
  };
}

/**
 * The one rule for what a reader learns of an incident found to share something with what the reader
 * holds (the other side of a correlation, the incident a watched value appeared in): the incident in
 * full when the reader may see it, otherwise exactly what its owner's disclosure policy gives.
 */
export function counterpartViewFor(
  viewer: Viewer,
  other: CounterpartIncident,
  sharing: SharingContext,
): CounterpartView {
  const disclosure = disclosureFor(other, sharing.organization(other.orgId)?.disclosure);
  // The other incident counts as naming the reader (RED, or the reader a named recipient) only when the
  // reader may see it: otherwise a `named` RED match would lift the owner's community anonymity.
  const item = canSee(viewer, other) ? other : undefined;
  return describeCounterpart(viewer, other, sharing.displayById(other.orgId, viewer.orgId, item), disclosure);
}

/**
 * The other side of a correlation as a reader who may NOT see it learns it now: what its owner
 * discloses (used when a stored alert is replayed after the other side was restricted).
 */
export function unseenCounterpart(
  other: { orgId: string; tlp: CounterpartIncident['tlp']; disclosure?: CounterpartIncident['disclosure'] },
  viewerOrgId: string,
  sharing: SharingContext,
): CounterpartView {
  switch (disclosureFor(other, sharing.organization(other.orgId)?.disclosure)) {
    case 'named':
      return { disclosure: 'named', organization: sharing.displayById(other.orgId, viewerOrgId), tlp: other.tlp };
    case 'anonymous':
      return { disclosure: 'anonymous', tlp: other.tlp };
    case 'nothing':
      return { disclosure: 'nothing' };
  }
}
