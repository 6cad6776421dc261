import type { IndicatorType } from '../indicators/indicator-type';
import type { OrganizationRef, SharingContext } from '../visibility/organization-display';
import type { Incident } from './incident';

/**
 * A partner's report on one of an incident's indicators: it saw it (`seen`), found it harmless
 * (`false-positive`), or found it no longer in use (`expired`), `count` times between `firstSeen`
 * and `lastSeen`. Sightings belong to their incident: whoever may see the incident sees them all.
 */
export const SIGHTING_KINDS = ['seen', 'false-positive', 'expired'] as const;
export type SightingKind = (typeof SIGHTING_KINDS)[number];

/** The most a sighting's note may hold. */
export const SIGHTING_NOTE_MAX = 2000;

export interface SightedIndicator {
  type: IndicatorType;
  value: string;
}

/** A sighting as stored. */
export interface Sighting {
  id: string;
  incidentId: string;
  orgId: string;
  authorId: string;
  indicator: SightedIndicator;
  kind: SightingKind;
  count: number;
  firstSeen: Date | null;
  lastSeen: Date | null;
  note: string | null;
  createdAt: Date;
}

/** A sighting as one reader sees it: the reporting organization as that reader knows it. */
export interface SightingView {
  id: string;
  incidentId: string;
  organization: OrganizationRef;
  indicator: SightedIndicator;
  kind: SightingKind;
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
  note: string | null;
  createdAt: string;
}

/**
 * Worded as comments are: a sighting by the incident's own organization names that organization as
 * the incident does, anyone else as the reader knows them (anonymised where due).
 */
export function sightingViewFor(
  sighting: Sighting,
  viewerOrgId: string,
  sharing: SharingContext,
  incident?: Pick<Incident, 'orgId' | 'tlp' | 'recipientOrgIds'>,
): SightingView {
  const item = incident && incident.orgId === sighting.orgId ? incident : undefined;
  return {
    id: sighting.id,
    incidentId: sighting.incidentId,
    organization: sharing.displayById(sighting.orgId, viewerOrgId, item),
    indicator: { type: sighting.indicator.type, value: sighting.indicator.value },
    kind: sighting.kind,
    count: sighting.count,
    firstSeen: sighting.firstSeen ? sighting.firstSeen.toISOString() : null,
    lastSeen: sighting.lastSeen ? sighting.lastSeen.toISOString() : null,
    note: sighting.note,
    createdAt: sighting.createdAt.toISOString(),
  };
}

/** What the incident's detail says of each indicator's sightings. */
export interface IndicatorSightings {
  seen: number;
  falsePositive: number;
  expired: number;
  /** The latest time a `seen` sighting says it was seen; null when nobody reported seeing it. */
  lastSeen: string | null;
}

/** The part of a sighting the summary reads. */
export type SightingFacts = Pick<Sighting, 'indicator' | 'kind' | 'count' | 'firstSeen' | 'lastSeen' | 'createdAt'>;

export const NO_SIGHTINGS: Readonly<IndicatorSightings> = Object.freeze({
  seen: 0,
  falsePositive: 0,
  expired: 0,
  lastSeen: null,
});

export function sightingKeyOf(indicator: { type: string; value: string }): string {
  return `${indicator.type}\n${indicator.value}`;
}

/**
 * Per indicator (keyed by `sightingKeyOf`): the reported counts summed by kind, and when it was last
 * seen — a `seen` sighting's `lastSeen`, else its `firstSeen`, else when it was reported.
 */
export function summarizeSightings(sightings: Iterable<SightingFacts>): Map<string, IndicatorSightings> {
  const summary = new Map<string, IndicatorSightings>();
  for (const sighting of sightings) {
    const key = sightingKeyOf(sighting.indicator);
    const entry = summary.get(key) ?? { ...NO_SIGHTINGS };
    switch (sighting.kind) {
      case 'seen': {
        entry.seen += sighting.count;
        const at = (sighting.lastSeen ?? sighting.firstSeen ?? sighting.createdAt).toISOString();
        if (entry.lastSeen === null || at > entry.lastSeen) entry.lastSeen = at;
        break;
      }
      case 'false-positive':
        entry.falsePositive += sighting.count;
        break;
      case 'expired':
        entry.expired += sighting.count;
        break;
    }
    summary.set(key, entry);
  }
  return summary;
}
