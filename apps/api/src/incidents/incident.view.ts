import {
  correlates,
  correlationKey,
  incidentSummaryFor,
  NO_SIGHTINGS,
  sightingKeyOf,
  type CorrelationView,
  type IndicatorSightings,
  type Incident,
  type SharingContext,
} from '@corridor/domain';

/** A list entry: the summary every reader is told (also sent live as `incident.created`), and more. */
export function listItemOf(incident: Incident, viewerOrgId: string, sharing: SharingContext) {
  const owner = incident.orgId === viewerOrgId;
  return {
    ...incidentSummaryFor(incident, viewerOrgId, sharing),
    pap: incident.pap,
    statusChangedAt: incident.statusChangedAt ? incident.statusChangedAt.toISOString() : null,
    // Who works on it, and who moved it, are the submitter's business only.
    assigneeId: owner ? (incident.assigneeId ?? null) : null,
    externalRef: incident.externalRef ?? null,
    occurredAt: incident.occurredAt.toISOString(),
    updatedAt: incident.updatedAt.toISOString(),
    indicatorCount: incident.state === 'pending' ? null : incident.indicators.length,
  };
}

export function detailOf(
  incident: Incident,
  viewerOrgId: string,
  sharing: SharingContext,
  correlations: CorrelationView[],
  hot: ReadonlyMap<string, number> = new Map(),
  falsePositives: Array<{ correlationId: string; by: string; at: string }> = [],
  sightings: ReadonlyMap<string, IndicatorSightings> = new Map(),
) {
  const owner = incident.orgId === viewerOrgId;
  return {
    ...listItemOf(incident, viewerOrgId, sharing),
    statusChangedBy: owner ? (incident.statusChangedBy ?? null) : null,
    description: incident.description,
    failureReason: incident.failureReason ?? null,
    // Who else it is shared with, and what it discloses of matches, is the submitter's business only.
    recipients: owner ? { organizations: incident.recipientOrgIds, users: incident.recipientUserIds } : null,
    disclosure: owner ? (incident.disclosure ?? null) : null,
    submittedIndicators: incident.submitted.length,
    // A warned indicator is shown with its warnings, and said not to correlate (it is not indexed).
    indicators: incident.indicators.map((indicator) => ({
      ...indicator,
      forDetection: indicator.forDetection !== false,
      correlates: correlates(indicator),
      hot: hot.get(correlationKey(indicator)) ?? null,
      // Sightings are the incident's: whoever reads it reads all of them, summed per indicator.
      sightings: { ...(sightings.get(sightingKeyOf(indicator)) ?? NO_SIGHTINGS) },
    })),
    rejectedIndicators: incident.rejectedIndicators,
    correlations,
    falsePositives,
  };
}

export type IncidentDetail = ReturnType<typeof detailOf>;
export type IncidentListItem = ReturnType<typeof listItemOf>;
