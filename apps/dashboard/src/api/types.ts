// The dashboard speaks the API's own types: response shapes come from the api's view functions and
// services, live events from the shared event map. Nothing here re-declares a field by hand.
import type { TokenPair } from '../../../api/src/auth/token.service';
import type { IncidentDetail, IncidentListItem } from '../../../api/src/incidents/incident.view';
import type {
  ClientToServerEvents,
  CommentView,
  CorrelationView,
  Delivered,
  IncidentSummary,
  ServerToClientEvents,
  SocketAuth,
} from '@corridor/realtime';
import type { Severity, IncidentState, IncidentStatus, Tlp, User } from '@corridor/domain';

/** What a value becomes once sent as JSON: dates are ISO strings. */
export type Json<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

export type LoginReply = Json<TokenPair & { user: User }>;
export type RefreshReply = Json<TokenPair>;
export type SessionUser = LoginReply['user'];
export type IncidentListReply = { items: Json<IncidentListItem>[]; nextCursor: string | null };
export type Incident = Json<IncidentDetail>;
export type IncidentIndicator = Incident['indicators'][number];
export type Comment = CommentView;
export type Correlation = CorrelationView;

/** A feed row: the summary every reader is told, by REST list or by `incident.created`. */
export type FeedRow = IncidentSummary & { updatedAt?: string };

export type {
  ClientToServerEvents,
  Delivered,
  IncidentState,
  IncidentStatus,
  ServerToClientEvents,
  Severity,
  SocketAuth,
  Tlp,
};
