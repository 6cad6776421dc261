import type {
  Classification,
  CounterpartView,
  IncidentState,
  IncidentStatus,
  IndicatorType,
  OrganizationRef,
  Scope,
  Severity,
  Tlp,
} from '@corridor/domain';

/** What a live client is told about an incident it may see. */
export interface IncidentSummary {
  id: string;
  /** As the recipient may know it: anonymised organizations have no id and a generic name. */
  organization: OrganizationRef;
  title: string;
  severity: Severity;
  tlp: Tlp;
  classification: Classification;
  state: IncidentState;
  status: IncidentStatus;
  createdAt: string;
}

/** Sent to each organization owning a side of a new correlation, worded for that organization. */
export interface CorrelationAlert {
  /** The correlation id: the same alert delivered twice carries the same id. */
  id: string;
  type: IndicatorType;
  /** The matched canonical value (the recipient's own indicator). */
  value: string;
  yourIncidentId: string;
  counterpart: CounterpartView;
  createdAt: string;
}

export interface CommentView {
  id: string;
  organization: OrganizationRef;
  text: string;
  createdAt: string;
}

/** The one event map shared by the gateway, the worker's publisher and clients. */
export interface ServerToClientEvents {
  'incident.created': (incident: IncidentSummary) => void;
  /**
   * Processing finished. `correlations` (how many incidents of other organizations share an indicator)
   * goes to the submitting organization only: for anyone else it could count incidents they may not see.
   */
  'incident.correlated': (event: { incidentId: string; state: 'correlated'; correlations?: number }) => void;
  'incident.failed': (event: { incidentId: string; state: 'failed'; reason: string }) => void;
  /** An analyst changed status, TLP or recipients; sent to the incident's audience after the change. */
  'incident.updated': (event: { incidentId: string; status: IncidentStatus; tlp: Tlp; updatedAt: string }) => void;
  'correlation.alert': (alert: CorrelationAlert) => void;
  /** Someone on call in the recipient's organization acknowledged an alert. */
  'correlation.acknowledged': (event: { id: string; by: string; at: string }) => void;
  /** A comment on an incident, to its room (everyone in it may see the incident). */
  'incident.commented': (event: { incidentId: string; comment: CommentView }) => void;
}

export type JoinReply = { ok: true; room: string } | { ok: false; error: { code: string; message: string } };

export interface ClientToServerEvents {
  'incident.join': (request: { incidentId: string }, reply: (result: JoinReply) => void) => void;
  'incident.leave': (request: { incidentId: string }, reply: (result: JoinReply) => void) => void;
}

/** What the server keeps about an authenticated socket. */
export interface SocketData {
  kind: 'user' | 'key';
  principalId: string;
  orgId: string;
  scopes: Scope[];
  session?: { id: string; expiresAt: Date };
}
