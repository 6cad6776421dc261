import type { Correlation, CounterpartView, Incident, Organization } from '@corridor/domain';
import type { IncidentSummary } from '@corridor/realtime';

/** A correlation as one organization may see it. */
export interface CorrelationView {
  id: string;
  type: Correlation['type'];
  value: string;
  counterpart: CounterpartView;
  createdAt: string;
}

export function summaryOf(incident: Incident, org: Pick<Organization, 'id' | 'name'>): IncidentSummary {
  return {
    id: incident.id,
    organization: { id: org.id, name: org.name },
    title: incident.title,
    severity: incident.severity,
    tlp: incident.tlp,
    classification: incident.classification,
    state: incident.state,
    createdAt: incident.createdAt.toISOString(),
  };
}

export function listItemOf(incident: Incident, org: Pick<Organization, 'id' | 'name'>) {
  return {
    ...summaryOf(incident, org),
    externalRef: incident.externalRef ?? null,
    occurredAt: incident.occurredAt.toISOString(),
    updatedAt: incident.updatedAt.toISOString(),
    indicatorCount: incident.state === 'pending' ? null : incident.indicators.length,
  };
}

export function detailOf(incident: Incident, org: Pick<Organization, 'id' | 'name'>, correlations: CorrelationView[]) {
  return {
    ...listItemOf(incident, org),
    description: incident.description,
    failureReason: incident.failureReason ?? null,
    submittedIndicators: incident.submitted.length,
    indicators: incident.indicators,
    rejectedIndicators: incident.rejectedIndicators,
    correlations,
  };
}

export type IncidentDetail = ReturnType<typeof detailOf>;
export type IncidentListItem = ReturnType<typeof listItemOf>;
