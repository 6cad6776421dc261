import type {
  RuleAlertView,
  CommentView,
  IndicatorEnrichment,
  IndicatorType,
  ContactView,
  CorrelationView,
  IncidentStatus,
  Language,
  IncidentSummary,
  Role,
  Scope,
  Tlp,
  TimelineEntryView,
  WatchHitView,
  RetractionView,
} from '@corridor/domain';

export type { IncidentSummary, CommentView, CorrelationView, WatchHitView };

/** GET /api/v1/watchlist/hits: newest first; each item is the live `watchlist.hit` payload as it reads now. */
export interface WatchHitPage {
  items: WatchHitView[];
  /** Pass as `cursor` for the next page; null at the end. */
  nextCursor: string | null;
}

/** A correlation alert: the correlation as its recipient sees it from its own side (`yourIncidentId`). */
export type CorrelationAlert = CorrelationView;

/**
 * An entry of GET /api/v1/alerts: the same payload as the live `correlation.alert` (without
 * `eventId`), as it reads at the time of the request: `acknowledged` is the reader's organization's
 * acknowledgement (null until someone on call acknowledges), `createdAt` the time of the correlation.
 */
export type AlertView = CorrelationAlert;

/** GET /api/v1/alerts: unacknowledged alerts first, then newest first. */
export interface AlertPage {
  items: AlertView[];
  /** Pass as `cursor` for the next page; null at the end. */
  nextCursor: string | null;
}

/** A contact request between the sides of a correlation, as one side sees it. */
export interface ContactEvent {
  correlationId: string;
  /** The reader's own incident in the correlation. */
  yourIncidentId: string;
  contact: ContactView;
}

/**
 * What each event carries, before delivery. Every payload is computed for its reader by the same
 * functions REST uses, so what a socket receives equals what its principal reads by REST (the
 * fields each event documents are a subset of the REST representation named beside it).
 */
export interface EventPayloads {
  /** = GET /api/v1/incidents/:id (summary fields; `state` and `status` as of the event). */
  'incident.created': IncidentSummary;
  /**
   * The reader may now see an existing incident (its TLP or recipients changed): its summary, as
   * `incident.created` would have told it.
   */
  'incident.shared': IncidentSummary;
  /**
   * The reader may no longer see the incident (its TLP or recipients changed): drop it from lists and
   * pages. Carries only the id the reader already had.
   */
  'incident.withdrawn': { incidentId: string };
  /** Processing finished. `correlations` (how many) is told to readers of the submitting organization only. */
  'incident.correlated': { incidentId: string; state: 'correlated'; correlations?: number };
  'incident.failed': { incidentId: string; state: 'failed'; reason: string };
  /** An analyst changed status, TLP or recipients; told to the incident's audience after the change. */
  'incident.updated': { incidentId: string; status: IncidentStatus; tlp: Tlp; updatedAt: string };
  /**
   * Enrichment of some of the incident's indicators arrived (`source`: `offline` or a provider's name),
   * after its correlation: each indicator's whole `enrichment`, as GET /api/v1/incidents/:id now reads.
   */
  'incident.enriched': {
    incidentId: string;
    source: string;
    indicators: Array<{ type: IndicatorType; value: string; enrichment: IndicatorEnrichment }>;
  };
  /** = an entry of GET /api/v1/incidents/:yourIncidentId `correlations`. */
  'correlation.alert': CorrelationAlert;
  /** Someone on call in the reader's organization acknowledged an alert on its incident. */
  'correlation.acknowledged': { id: string; yourIncidentId: string; by: string; at: string };
  /** = an entry of GET /api/v1/incidents/:incidentId/timeline; only to sockets that joined the incident. */
  'incident.timeline': TimelineEntryView;
  /** = an entry of GET /api/v1/incidents/:id/comments; only to sockets that joined the incident. */
  'incident.commented': { incidentId: string; comment: CommentView };
  /** To the owner of a restricted incident: a partner asks for contact (= an entry of GET /api/v1/contact-requests). */
  'contact.requested': ContactEvent;
  /** To both sides: the owner accepted or declined. */
  'contact.answered': ContactEvent;
  /**
   * To the readers of an organization watching a value that appeared in an incident (= an entry of
   * GET /api/v1/watchlist/hits): the incident in full when the reader may see it, otherwise worded by
   * its owner's disclosure policy as the hidden side of a correlation alert.
   */
  'watchlist.hit': WatchHitView;
  /**
   * The organization's on-call room: an alert raised by one of its rules changed (`change`), = an
   * item of GET /api/v1/oncall/alerts (the incident shown only to readers who may see it).
   */
  'alert.changed': {
    change: 'triggered' | 'acknowledged' | 'resolved' | 'escalated' | 'withdrawn';
    alert: RuleAlertView;
  };
  /**
   * To everyone who was told of an incident (live events, exports): its submitter retracted it. Drop
   * it; the correlations and alerts named are withdrawn. The incident's id and the reason only to
   * readers who could see it (= GET /api/v1/retractions/:id worded for the reader).
   */
  'incident.retracted': RetractionView;
  /** As `incident.retracted`, for one indicator of an incident (the indicator only to its readers). */
  'indicator.retracted': RetractionView;
  /** To one person paged by an escalation step: the alert, the step and the policy level. */
  'alert.paged': { alert: RuleAlertView; step: number; level: number | 'org-admins' };
  /** To the organization's org-admins: an account was created in their organization. */
  'user.created': {
    user: {
      id: string;
      orgId: string;
      email: string;
      name: string;
      roles: Role[];
      language: Language;
      createdAt: string;
    };
    by: string;
  };
}

export type EventName = keyof EventPayloads;

/**
 * The scopes a socket's credential needs to receive each event — the same scopes REST asks for the
 * representation the event carries (incident content needs `incidents:read`; account news needs
 * `users:manage`). A socket connects with `alerts:read` or `users:manage` and receives only what its
 * scopes allow.
 */
export const EVENT_SCOPES: Record<EventName, readonly Scope[]> = {
  'incident.created': ['alerts:read', 'incidents:read'],
  'incident.shared': ['alerts:read', 'incidents:read'],
  'incident.withdrawn': ['alerts:read', 'incidents:read'],
  'incident.correlated': ['alerts:read', 'incidents:read'],
  'incident.failed': ['alerts:read', 'incidents:read'],
  'incident.updated': ['alerts:read', 'incidents:read'],
  'incident.enriched': ['alerts:read', 'incidents:read'],
  'correlation.alert': ['alerts:read', 'incidents:read'],
  'correlation.acknowledged': ['alerts:read', 'incidents:read'],
  'incident.commented': ['alerts:read', 'incidents:read'],
  'contact.requested': ['alerts:read', 'incidents:read'],
  'contact.answered': ['alerts:read', 'incidents:read'],
  'incident.timeline': ['alerts:read', 'incidents:read'],
  'user.created': ['users:manage'],
  'watchlist.hit': ['alerts:read', 'incidents:read'],
  'alert.changed': ['alerts:read', 'incidents:read'],
  'alert.paged': ['alerts:read', 'incidents:read'],
  'incident.retracted': ['alerts:read', 'incidents:read'],
  'indicator.retracted': ['alerts:read', 'incidents:read'],
};

/** Client events a socket may send (anything else is answered `unknown_event`). */
export const CLIENT_EVENTS = [
  'incident.join',
  'incident.leave',
  'correlation.ack',
  'correlation.contact',
  'alert.ack',
  'alert.resolve',
] as const;

/**
 * Every delivered event carries `eventId`: opaque, and increasing along each reader's stream. A client
 * keeps the last one it saw and hands it back to resume (see `SocketAuth.lastEventId`).
 */
export type Delivered<E extends EventName> = EventPayloads[E] & { eventId: string };

/** The end of a replay: live events follow. */
export interface ResumedEvent {
  replayed: number;
  lastEventId: string | null;
}

/** The client asked to resume from an event older than the retained window: re-read by REST. */
export interface GapEvent {
  /** `beyond_window`: older than the retained window; `unknown_event`: an id this deployment never issued. */
  reason: 'beyond_window' | 'unknown_event';
  /** The oldest event still retained for this reader, if any. */
  oldestEventId: string | null;
}

type Handlers = { [E in EventName]: (payload: Delivered<E>) => void };

/** The one event map shared by the gateway, the publisher and clients. */
export interface ServerToClientEvents extends Handlers {
  'stream.resumed': (event: ResumedEvent) => void;
  'stream.gap': (event: GapEvent) => void;
}

export type Reply<T = Record<string, never>> =
  ({ ok: true } & T) | { ok: false; error: { code: string; message: string } };
export type JoinReply = Reply<{ room: string }>;

export interface ClientToServerEvents {
  /** Subscribe to one incident's detail events (comments): allowed when the socket may see it. */
  'incident.join': (request: { incidentId: string }, reply: (result: JoinReply) => void) => void;
  'incident.leave': (request: { incidentId: string }, reply: (result: JoinReply) => void) => void;
  /** Acknowledge a correlation alert (on-call): the same use case as POST /api/v1/correlations/:id/ack. */
  'correlation.ack': (request: { id: string }, reply: (result: Reply<{ acknowledged: unknown }>) => void) => void;
  /** Acknowledge or resolve a rule's alert: the same use case as POST /api/v1/oncall/alerts/:id/ack|resolve. */
  'alert.ack': (request: { id: string }, reply: (result: Reply<{ alert: unknown }>) => void) => void;
  'alert.resolve': (request: { id: string }, reply: (result: Reply<{ alert: unknown }>) => void) => void;
  /** Ask for contact on an anonymous match: the same use case as POST /api/v1/correlations/:id/contact. */
  'correlation.contact': (
    request: { id: string; yourIncidentId: string },
    reply: (result: Reply<{ contact: unknown }>) => void,
  ) => void;
}

/**
 * The handshake's `auth`: the credential, and where to resume. `lastEventId` is the last event the
 * client saw (from this socket or an earlier one, e.g. before a page reload); `incidents` are the
 * incidents it had joined, re-joined before the replay so their detail events are replayed too.
 */
export interface SocketAuth {
  token: string;
  lastEventId?: string;
  incidents?: string[];
}

/** What the server keeps about an authenticated socket. */
export interface SocketData {
  kind: 'user' | 'key';
  principalId: string;
  orgId: string;
  scopes: Scope[];
  roles: Role[];
  session?: { id: string; expiresAt: Date };
  /** When the credential stops working (access token or API key expiry). */
  expiresAt?: Date;
}
