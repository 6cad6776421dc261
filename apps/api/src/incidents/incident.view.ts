import type {
  Correlation,
  CounterpartView,
  Incident,
  Organization,
  OrganizationRef,
  SharingContext,
} from '@corridor/domain';
import type { IncidentSummary } from '@corridor/realtime';

/** A correlation as one viewer may see it. */
export interface CorrelationView {
  id: string;
  type: Correlation['type'];
  value: string;
  counterpart: CounterpartView;
  createdAt: string;
}

/** The organization of an incident as `viewerOrgId` may know it. */
export function organizationFor(
  incident: Incident,
  org: Organization | undefined,
  viewerOrgId: string,
  sharing: SharingContext,
): OrganizationRef {
  if (!org) return { id: null, name: 'unknown organization' };
  return sharing.display(org, viewerOrgId, incident);
}

export function summaryOf(incident: Incident, organization: OrganizationRef): IncidentSummary {
  return {
    id: incident.id,
    organization,
    title: incident.title,
    severity: incident.severity,
    tlp: incident.tlp,
    classification: incident.classification,
    state: incident.state,
    status: incident.status,
    createdAt: incident.createdAt.toISOString(),
  };
}

export function listItemOf(incident: Incident, organization: OrganizationRef) {
  return {
    ...summaryOf(incident, organization),
    externalRef: incident.externalRef ?? null,
    occurredAt: incident.occurredAt.toISOString(),
    updatedAt: incident.updatedAt.toISOString(),
    indicatorCount: incident.state === 'pending' ? null : incident.indicators.length,
  };
}

export function detailOf(
  incident: Incident,
  organization: OrganizationRef,
  correlations: CorrelationView[],
  viewerOrgId: string,
) {
  const owner = incident.orgId === viewerOrgId;
  return {
    ...listItemOf(incident, organization),
    description: incident.description,
    failureReason: incident.failureReason ?? null,
    // Who else it is shared with is the submitter's business only.
    recipients: owner ? { organizations: incident.recipientOrgIds, users: incident.recipientUserIds } : null,
    submittedIndicators: incident.submitted.length,
    indicators: incident.indicators,
    rejectedIndicators: incident.rejectedIndicators,
    correlations,
  };
}

export type IncidentDetail = ReturnType<typeof detailOf>;
export type IncidentListItem = ReturnType<typeof listItemOf>;
