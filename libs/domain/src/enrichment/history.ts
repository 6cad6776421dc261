import type { Incident } from '../incidents/incident';
import type { Sighting } from '../incidents/sighting';

/**
 * What the platform has seen of one indicator value, over the incidents a reader may see: when it
 * was first and last seen (the incidents' `occurredAt` and the sightings' `firstSeen`/`lastSeen`,
 * `createdAt` where a sighting gives no time), how many incidents carry it, and how many
 * organizations reported it (the incidents' owners and the organizations that sighted it).
 */
export interface IndicatorHistory {
  firstSeen: Date | null;
  lastSeen: Date | null;
  incidents: number;
  organizations: number;
  /** Sightings of kind `seen`, summed by their `count`. */
  sightings: number;
}

/**
 * `incidents` must already be only those the reader may see, and `sightings` only sightings of this
 * value on those incidents (sightings belong to their incident: whoever sees it sees them); sightings
 * of other incidents are ignored.
 */
export function indicatorHistory(
  incidents: ReadonlyArray<Pick<Incident, 'id' | 'orgId' | 'occurredAt'>>,
  sightings: ReadonlyArray<
    Pick<Sighting, 'incidentId' | 'orgId' | 'kind' | 'count' | 'firstSeen' | 'lastSeen' | 'createdAt'>
  >,
): IndicatorHistory {
  const ids = new Set(incidents.map((incident) => incident.id));
  const orgs = new Set(incidents.map((incident) => incident.orgId));
  const times: number[] = incidents.map((incident) => incident.occurredAt.getTime());
  let seen = 0;
  for (const sighting of sightings) {
    if (!ids.has(sighting.incidentId)) continue;
    orgs.add(sighting.orgId);
    if (sighting.kind !== 'seen') continue;
    seen += sighting.count;
    times.push(
      (sighting.firstSeen ?? sighting.createdAt).getTime(),
      (sighting.lastSeen ?? sighting.createdAt).getTime(),
    );
  }
  return {
    firstSeen: times.length > 0 ? new Date(Math.min(...times)) : null,
    lastSeen: times.length > 0 ? new Date(Math.max(...times)) : null,
    incidents: ids.size,
    organizations: ids.size > 0 ? orgs.size : 0,
    sightings: seen,
  };
}
