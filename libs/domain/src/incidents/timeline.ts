import {
  contactViewFor,
  type ContactRequest,
  type ContactView,
  type CorrelationView,
} from '../correlation/correlation-view';
import type { OrganizationRef, SharingContext } from '../visibility/organization-display';
import type { Tlp } from '../visibility/tlp';
import type { Incident, IncidentStatus } from './incident';
import { commentViewFor, type CommentView } from './incident-view';
import {
  sightingViewFor,
  type Sighting,
  type SightingKind,
  type SightingView,
  type SightedIndicator,
} from './sighting';

/**
 * What happened to an incident, oldest first. Entries are stored insert-only under deterministic ids
 * (a retried job or request adds nothing twice); the submission is derived from the incident itself.
 */
export type TimelineChange =
  | { kind: 'submitted' }
  | { kind: 'processed'; indicators: number; rejected: number }
  | { kind: 'failed'; reason: string }
  | { kind: 'correlated'; correlationId: string }
  | { kind: 'status_changed'; from: IncidentStatus; to: IncidentStatus }
  | { kind: 'tlp_changed'; from: Tlp; to: Tlp }
  | { kind: 'recipients_changed'; from: TimelineRecipients; to: TimelineRecipients }
  | { kind: 'assigned'; from: string | null; to: string | null }
  | { kind: 'commented'; commentId: string; text: string }
  | { kind: 'sighted'; sighting: SightingSnapshot }
  | { kind: 'acknowledged'; correlationId: string }
  | { kind: 'alert_changed'; alertId: string; change: 'acknowledged' | 'resolved'; ruleName: string }
  | { kind: 'contact_requested' | 'contact_answered'; contact: ContactRequest }
  | DeadlineChange;

/**
 * The owner organization put the incident under a deadline profile from `awareAt` (`set`), or
 * completed a milestone (`completed`, with its label).
 */
export interface DeadlineChange {
  kind: 'deadline_changed';
  change: 'set' | 'completed';
  profileName: string;
  /** ISO 8601. */
  awareAt: string;
  milestone: string | null;
}

/** A sighting as its timeline entry keeps it (times as ISO strings; who and when are the entry's). */
export interface SightingSnapshot {
  id: string;
  indicator: SightedIndicator;
  kind: SightingKind;
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
  note: string | null;
}

export type TimelineKind = TimelineChange['kind'];
export const TIMELINE_KINDS: readonly TimelineKind[] = [
  'submitted',
  'processed',
  'failed',
  'correlated',
  'status_changed',
  'tlp_changed',
  'recipients_changed',
  'assigned',
  'commented',
  'sighted',
  'acknowledged',
  'contact_requested',
  'contact_answered',
  'deadline_changed',
];

export interface TimelineRecipients {
  organizations: string[];
  users: string[];
}

/** An entry as stored. `actor` is null for what the platform did (processing, correlation). */
export type TimelineEntry = {
  id: string;
  incidentId: string;
  at: Date;
  actor: { orgId: string; principalId: string } | null;
} & TimelineChange;

/** Deterministic ids: one entry per thing that happened, whoever records it and however often. */
export const timelineIds = {
  submitted: (incidentId: string) => `submitted-${incidentId}`,
  processed: (incidentId: string) => `processed-${incidentId}`,
  failed: (incidentId: string) => `failed-${incidentId}`,
  correlated: (incidentId: string, correlationId: string) => `correlated-${incidentId}-${correlationId}`,
  commented: (commentId: string) => `comment-${commentId}`,
  sighted: (sightingId: string) => `sighted-${sightingId}`,
  /** The first acknowledgement by the side's organization stands: one entry. */
  acknowledged: (incidentId: string, correlationId: string) => `acknowledged-${incidentId}-${correlationId}`,
  /** The first acknowledgement, and the resolution, of a rule's alert: one entry each. */
  alertChanged: (incidentId: string, alertId: string, change: 'acknowledged' | 'resolved') =>
    `alert_${change}-${incidentId}-${alertId}`,
  contact: (kind: 'contact_requested' | 'contact_answered', incidentId: string, contactId: string) =>
    `${kind}-${incidentId}-${contactId}`,
  /** A change made by one request: its own id (the request is not retried by the platform). */
  change: (kind: TimelineKind, incidentId: string, changeId: string) => `${kind}-${incidentId}-${changeId}`,
};

/** Who did it, as the reader knows the organization; the person or key only within their organization. */
export interface TimelineActorView {
  organization: OrganizationRef;
  principalId: string | null;
}

export type TimelineEntryView = {
  id: string;
  incidentId: string;
  at: string;
  by: TimelineActorView | null;
} & (
  | { kind: 'submitted' }
  | { kind: 'processed'; indicators: number; rejected: number }
  | { kind: 'failed'; reason: string }
  | { kind: 'correlated'; correlation: CorrelationView }
  | { kind: 'status_changed'; from: IncidentStatus; to: IncidentStatus }
  | { kind: 'tlp_changed'; from: Tlp; to: Tlp }
  | { kind: 'recipients_changed'; from: TimelineRecipients; to: TimelineRecipients }
  | { kind: 'assigned'; from: string | null; to: string | null }
  | { kind: 'commented'; comment: CommentView }
  | { kind: 'sighted'; sighting: SightingView }
  | { kind: 'acknowledged'; correlationId: string }
  | { kind: 'alert_changed'; alertId: string; change: 'acknowledged' | 'resolved'; ruleName: string }
  | { kind: 'contact_requested' | 'contact_answered'; contact: ContactView }
  | DeadlineChange
);

/** The entry a sighting makes, by its reporter, when it was reported. */
export function sightedEntry(sighting: Sighting): TimelineEntry {
  return {
    id: timelineIds.sighted(sighting.id),
    incidentId: sighting.incidentId,
    at: sighting.createdAt,
    actor: { orgId: sighting.orgId, principalId: sighting.authorId },
    kind: 'sighted',
    sighting: {
      id: sighting.id,
      indicator: { type: sighting.indicator.type, value: sighting.indicator.value },
      kind: sighting.kind,
      count: sighting.count,
      firstSeen: sighting.firstSeen ? sighting.firstSeen.toISOString() : null,
      lastSeen: sighting.lastSeen ? sighting.lastSeen.toISOString() : null,
      note: sighting.note,
    },
  };
}

/** The entry every incident has: its submission, from the incident itself. */
export function submittedEntry(incident: Incident): TimelineEntry {
  return {
    id: timelineIds.submitted(incident.id),
    incidentId: incident.id,
    at: incident.createdAt,
    actor: { orgId: incident.orgId, principalId: incident.authorId },
    kind: 'submitted',
  };
}

/**
 * One entry as one reader (who may see `incident`) reads it, by REST and live alike; undefined when
 * the reader may not learn of it: recipients and assignment are the submitting organization's
 * business only (as in the incident's detail), and a correlation is worded by the one correlation
 * rule (`correlationView` gives the reader's view of it, undefined when the reader may not learn of it).
 */
export function timelineEntryFor(
  entry: TimelineEntry,
  incident: Incident,
  viewerOrgId: string,
  sharing: SharingContext,
  correlationView: (correlationId: string) => CorrelationView | undefined,
): TimelineEntryView | undefined {
  const owner = viewerOrgId === incident.orgId;
  const by = entry.actor
    ? {
        // The incident's organization as the incident shows it; anyone else (a commenter) as comments do.
        organization:
          entry.actor.orgId === incident.orgId
            ? sharing.displayById(entry.actor.orgId, viewerOrgId, incident)
            : sharing.displayById(entry.actor.orgId, viewerOrgId),
        principalId: entry.actor.orgId === viewerOrgId ? entry.actor.principalId : null,
      }
    : null;
  const base = { id: entry.id, incidentId: entry.incidentId, at: entry.at.toISOString(), by };
  switch (entry.kind) {
    case 'submitted':
      return { ...base, kind: entry.kind };
    case 'processed':
      return { ...base, kind: entry.kind, indicators: entry.indicators, rejected: entry.rejected };
    case 'failed':
      return { ...base, kind: entry.kind, reason: entry.reason };
    case 'correlated': {
      const correlation = correlationView(entry.correlationId);
      return correlation ? { ...base, kind: entry.kind, correlation } : undefined;
    }
    case 'status_changed':
    case 'tlp_changed':
      return { ...base, kind: entry.kind, from: entry.from, to: entry.to } as TimelineEntryView;
    case 'recipients_changed':
      return owner ? { ...base, kind: entry.kind, from: entry.from, to: entry.to } : undefined;
    case 'assigned':
      return owner ? { ...base, kind: entry.kind, from: entry.from, to: entry.to } : undefined;
    case 'acknowledged':
      // The on-call side's business, as the live `correlation.acknowledged`.
      return owner ? { ...base, kind: entry.kind, correlationId: entry.correlationId } : undefined;
    case 'alert_changed':
      // The alerted organization's business only: another organization's rules are not the reader's.
      return entry.actor?.orgId === viewerOrgId
        ? { ...base, kind: entry.kind, alertId: entry.alertId, change: entry.change, ruleName: entry.ruleName }
        : undefined;
    case 'deadline_changed':
      // As the incident's deadlines read: to everyone who may see the incident.
      return {
        ...base,
        kind: entry.kind,
        change: entry.change,
        profileName: entry.profileName,
        awareAt: entry.awareAt,
        milestone: entry.milestone,
      };
    case 'contact_requested':
    case 'contact_answered': {
      // The side's own organization only, as the request as that organization sees it.
      const stored = entry.contact;
      const contact = owner
        ? contactViewFor(
            {
              ...stored,
              createdAt: new Date(stored.createdAt),
              answeredAt: stored.answeredAt ? new Date(stored.answeredAt) : null,
            },
            viewerOrgId,
            sharing,
          )
        : undefined;
      return contact ? { ...base, kind: entry.kind, contact } : undefined;
    }
    case 'commented': {
      const actor = entry.actor ?? { orgId: incident.orgId, principalId: '' };
      const comment = commentViewFor(
        {
          id: entry.commentId,
          incidentId: entry.incidentId,
          orgId: actor.orgId,
          authorId: actor.principalId,
          text: entry.text,
          createdAt: entry.at,
        },
        viewerOrgId,
        sharing,
      );
      return { ...base, kind: entry.kind, comment };
    }
    case 'sighted': {
      // The same words as GET …/sightings gives this reader.
      const actor = entry.actor ?? { orgId: incident.orgId, principalId: '' };
      const stored = entry.sighting;
      const sighting = sightingViewFor(
        {
          ...stored,
          incidentId: entry.incidentId,
          orgId: actor.orgId,
          authorId: actor.principalId,
          firstSeen: stored.firstSeen ? new Date(stored.firstSeen) : null,
          lastSeen: stored.lastSeen ? new Date(stored.lastSeen) : null,
          createdAt: entry.at,
        },
        viewerOrgId,
        sharing,
        incident,
      );
      return { ...base, kind: entry.kind, sighting };
    }
  }
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/** The entries one change of an incident makes (`before` → `after`), all at `at` by `actor`. */
export function timelineChanges(
  before: Incident,
  after: Incident,
  actor: { orgId: string; principalId: string },
  at: Date,
  changeId: string,
): TimelineEntry[] {
  const entry = (change: TimelineChange): TimelineEntry => ({
    id: timelineIds.change(change.kind, after.id, changeId),
    incidentId: after.id,
    at,
    actor,
    ...change,
  });
  const entries: TimelineEntry[] = [];
  if (before.status !== after.status)
    entries.push(entry({ kind: 'status_changed', from: before.status, to: after.status }));
  if (before.tlp !== after.tlp) entries.push(entry({ kind: 'tlp_changed', from: before.tlp, to: after.tlp }));
  if (
    !sameList(before.recipientOrgIds, after.recipientOrgIds) ||
    !sameList(before.recipientUserIds, after.recipientUserIds)
  ) {
    entries.push(
      entry({
        kind: 'recipients_changed',
        from: { organizations: before.recipientOrgIds, users: before.recipientUserIds },
        to: { organizations: after.recipientOrgIds, users: after.recipientUserIds },
      }),
    );
  }
  if ((before.assigneeId ?? null) !== (after.assigneeId ?? null)) {
    entries.push(entry({ kind: 'assigned', from: before.assigneeId ?? null, to: after.assigneeId ?? null }));
  }
  return entries;
}
