// The dashboard speaks the API's own types: response shapes come from the api's view functions and
// services, live events from the shared event map. Nothing here re-declares a field by hand.
import type { TokenPair } from '../../../api/src/auth/token.service';
import type { IncidentDetail, IncidentListItem } from '../../../api/src/incidents/incident.view';
import type { Acknowledgement } from '../../../api/src/alerts/acknowledge-alert';
import type { OrganizationsController } from '../../../api/src/organizations/organizations.controller';
import type {
  ClientToServerEvents,
  CommentView,
  AlertPage,
  AlertView,
  CorrelationView,
  Delivered,
  IncidentSummary,
  ServerToClientEvents,
  SocketAuth,
} from '@corridor/realtime';
import type {
  Overview,
  Principal,
  RsitClass,
  Severity,
  IncidentState,
  IncidentStatus,
  Tlp,
  User,
} from '@corridor/domain';

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
/** A page of the feed as the cache keeps it: listed rows, and live ones merged in. */
export type FeedPage = Omit<IncidentListReply, 'items'> & { items: FeedRow[] };

/** GET /api/v1/auth/me: who is signed in, with the scopes the roles give. */
export type Me = Json<Principal>;
/** GET /api/v1/organizations: the organizations the caller may name. */
export type OrganizationChoice = Awaited<ReturnType<OrganizationsController['list']>>[number];

/** GET /api/v1/alerts: inbox entries, each the `correlation.alert` payload (with `createdAt` and `acknowledged`). */
export type Alert = AlertView;
export type AlertListReply = AlertPage;
/** GET /api/v1/overview: activity per day, the most shared indicators, partner activity. */
export type OverviewReply = Json<Overview>;

export type {
  Acknowledgement,
  ClientToServerEvents,
  RsitClass,
  Delivered,
  IncidentState,
  IncidentStatus,
  ServerToClientEvents,
  Severity,
  SocketAuth,
  Tlp,
};
