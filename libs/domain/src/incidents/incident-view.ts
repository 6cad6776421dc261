import type { OrganizationRef, SharingContext } from '../visibility/organization-display';
import type { Incident, IncidentHead, IncidentState, IncidentStatus, Severity } from './incident';
import type { Classification } from './taxonomy';
import type { Tlp } from '../visibility/tlp';

/**
 * What every reader is told of an incident it may see, in REST lists and details and in live
 * events alike: the organization is as the reader knows it (anonymised organizations have no id and
 * a generic name).
 */
export interface IncidentSummary {
  id: string;
  organization: OrganizationRef;
  title: string;
  severity: Severity;
  tlp: Tlp;
  classification: Classification;
  state: IncidentState;
  status: IncidentStatus;
  createdAt: string;
}

export function incidentSummaryFor(
  incident: IncidentHead,
  viewerOrgId: string,
  sharing: SharingContext,
): IncidentSummary {
  return {
    id: incident.id,
    organization: sharing.displayById(incident.orgId, viewerOrgId, incident),
    title: incident.title,
    severity: incident.severity,
    tlp: incident.tlp,
    classification: incident.classification,
    state: incident.state,
    status: incident.status,
    createdAt: incident.createdAt.toISOString(),
  };
}

/** A comment on an incident, as stored. */
export interface IncidentComment {
  id: string;
  incidentId: string;
  orgId: string;
  authorId: string;
  text: string;
  createdAt: Date;
}

/** A comment as one reader sees it: the commenting organization as that reader knows it. */
export interface CommentView {
  id: string;
  organization: OrganizationRef;
  text: string;
  createdAt: string;
}

/**
 * `incident` is the commented incident: a comment by its own organization names that organization
 * as the incident does (a reader the incident names was chosen by name, and sees it by name).
 */
export function commentViewFor(
  comment: IncidentComment,
  viewerOrgId: string,
  sharing: SharingContext,
  incident?: Pick<Incident, 'orgId' | 'tlp' | 'recipientOrgIds'>,
): CommentView {
  const item = incident && incident.orgId === comment.orgId ? incident : undefined;
  return {
    id: comment.id,
    organization: sharing.displayById(comment.orgId, viewerOrgId, item),
    text: comment.text,
    createdAt: comment.createdAt.toISOString(),
  };
}
