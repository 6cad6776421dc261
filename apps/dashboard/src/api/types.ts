// The dashboard speaks the API's own types: response shapes come from the api's view functions and
// services, live events from the shared event map. Nothing here re-declares a field by hand.
import type { TokenPair } from '../../../api/src/auth/token.service';
import type { ErrorBody } from '../../../api/src/common/error-response';
import type { CreateIncidentDto } from '../../../api/src/incidents/dto/create-incident.dto';
import type { ReportSightingDto } from '../../../api/src/incidents/dto/sighting.dto';
import type { UpdateIncidentDto } from '../../../api/src/incidents/dto/update-incident.dto';
import type { IncidentDetail, IncidentListItem } from '../../../api/src/incidents/incident.view';
import type { IncidentsController } from '../../../api/src/incidents/incidents.controller';
import type { Acknowledgement } from '../../../api/src/alerts/acknowledge-alert';
import type { FalsePositiveState as FalsePositiveStateReply } from '../../../api/src/alerts/false-positive';
import type { IndicatorsController } from '../../../api/src/indicators/indicators.controller';
import type { OrganizationsController } from '../../../api/src/organizations/organizations.controller';
import type { RuleInputDto } from '../../../api/src/alerting/dto/alerting.dto';
import type { RuleView } from '../../../api/src/alerting/usecases/notification-rules.service';
import type { PolicyView } from '../../../api/src/oncall/access';
import type { DeadlinesController } from '../../../api/src/deadlines/deadlines.controller';
import type { OnCallNow } from '../../../api/src/oncall/usecases/on-call-now.service';
import type {
  ClientToServerEvents,
  CommentView,
  ContactEvent,
  AlertPage,
  AlertView,
  CorrelationView,
  Delivered,
  IncidentSummary,
  ServerToClientEvents,
  SocketAuth,
  WatchHitPage,
  WatchHitView,
} from '@corridor/realtime';
import type {
  ContactView,
  Disclosure,
  IndicatorType,
  MailLanguage,
  Overview,
  RuleAlertView,
  TriggerKind,
  WebhookEndpointView,
  RsitClass,
  Severity,
  IncidentState,
  IncidentStatus,
  Pap,
  SightingKind,
  SightingView,
  Tlp,
  User,
  WatchEntryView,
  WatchImportSummary,
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
export type Sighting = SightingView;
export type IndicatorSightings = IncidentIndicator['sightings'];
export type { SightingKind };
export type Correlation = CorrelationView;
export type CorrelationKind = Correlation['kind'];
export type CorrelationStrength = Correlation['strength'];
/** A correlation of the incident that the reader's organization marked as a false positive. */
export type FalsePositiveMark = Incident['falsePositives'][number];
/** POST and DELETE /api/v1/correlations/:id/false-positive. */
export type FalsePositiveState = Json<FalsePositiveStateReply>;
/** GET /api/v1/indicators/hot: values over the hot threshold, with how many incidents carry each. */
export type HotValuesReply = Json<Awaited<ReturnType<IndicatorsController['hot']>>>;
export type HotValue = HotValuesReply['items'][number];
/** GET /api/v1/indicators/history?value=…: first/last seen, incidents and organizations, over what the reader may see. */
export type IndicatorHistoryReply = Json<Awaited<ReturnType<IndicatorsController['getHistory']>>>;

export type IncidentRejectedIndicator = Incident['rejectedIndicators'][number];
export type IndicatorWarning = IncidentIndicator['warnings'][number];
export type Contact = ContactView;

/** `error.details` of an error answer: the fields a 400 names, the statuses a 409 allows. */
export type ErrorDetails = NonNullable<ErrorBody['error']['details']>;
export type FieldError = NonNullable<ErrorDetails['fields']>[number];

/** POST /api/v1/incidents and PATCH /api/v1/incidents/:id bodies, as the api's DTOs declare them. */
export type NewIncident = CreateIncidentDto;
/** POST /api/v1/incidents/:id/sightings body. */
export type NewSighting = ReportSightingDto;
export type IncidentChange = UpdateIncidentDto;

export type TimelinePage = Json<Awaited<ReturnType<IncidentsController['timeline']>>>;
export type TimelineEntry = TimelinePage['items'][number];
export type TimelineKind = TimelineEntry['kind'];

/** GET /api/v1/organizations: the organizations the caller may name as recipients. */
export type NameableOrganization = Awaited<ReturnType<OrganizationsController['list']>>[number];
/** GET /api/v1/users (org-admins): the people of the caller's organization. */
export type OrganizationUser = Json<User>;

/** GET /api/v1/incidents/:id/cluster?hops=n: the visible incidents up to n correlations away, and what links them. */
export type ClusterReply = Json<Awaited<ReturnType<IncidentsController['cluster']>>>;
export type ClusterNode = ClusterReply['nodes'][number];
export type ClusterEdge = ClusterReply['edges'][number];

/** A feed row: the summary every reader is told, by REST list or by `incident.created`. */
export type FeedRow = IncidentSummary & { updatedAt?: string };
/** A page of the feed as the cache keeps it: listed rows, and live ones merged in. */
export type FeedPage = Omit<IncidentListReply, 'items'> & { items: FeedRow[] };

/** GET /api/v1/alerts: inbox entries, each the `correlation.alert` payload (with `createdAt` and `acknowledged`). */
export type Alert = AlertView;
export type AlertListReply = AlertPage;
/** GET /api/v1/overview: activity per day, the most shared indicators, partner activity. */
export type OverviewReply = Json<Overview>;

/** GET /api/v1/watchlist: the organization's watched values, newest first. */
export type WatchEntry = WatchEntryView;
export type WatchEntryPage = { items: WatchEntry[]; nextCursor: string | null };
/** POST /api/v1/watchlist/import: new entries, duplicates, and the refused lines (numbered from 1). */
export type WatchImportReply = WatchImportSummary;
export type WatchImportRejection = WatchImportReply['rejected'][number];
/** GET /api/v1/watchlist/hits entries, each the `watchlist.hit` payload as it reads for the caller now. */
export type WatchHit = WatchHitView;
export type WatchHitListReply = WatchHitPage;
/** The other side of a correlation alert or a watch hit, as far as the reader may know it. */
export type Counterpart = Alert['counterpart'];

/** GET /api/v1/oncall/alerts items: an alert a rule raised, as the reader may see it (= `alert.changed`'s alert). */
export type RuleAlert = RuleAlertView;
export type RuleAlertState = RuleAlert['state'];
export type RuleAlertPage = { items: RuleAlert[]; nextCursor: string | null };
/** GET /api/v1/oncall/now: each schedule of the organization, who is on call in it and the next handover. */
export type OnCallNowReply = OnCallNow;
export type OnCallSchedule = OnCallNowReply['schedules'][number];
/** GET /api/v1/notification-rules items, and the body of POST and PUT. */
export type NotificationRule = RuleView;
export type NotificationRuleInput = RuleInputDto;
/** GET /api/v1/oncall/policies: the organization's escalation policies. */
export type EscalationPolicy = PolicyView;
/** GET /api/v1/webhooks/endpoints: the organization's webhook endpoints (org-admins). */
export type WebhookEndpoint = WebhookEndpointView;

/** GET /api/v1/deadlines: the open milestones of the incidents the reader may see, soonest first. */
export type DeadlineListReply = Json<Awaited<ReturnType<DeadlinesController['list']>>>;
export type DeadlineItem = DeadlineListReply['items'][number];
export type DeadlineStatus = DeadlineItem['status'];
/** POST /api/v1/incidents/:id/deadlines/:milestone/complete: every milestone of the incident as it now stands. */
export type IncidentDeadlines = Json<Awaited<ReturnType<DeadlinesController['completeMilestone']>>>;

export type {
  Acknowledgement,
  MailLanguage,
  TriggerKind,
  ClientToServerEvents,
  ContactEvent,
  ErrorBody,
  RsitClass,
  Delivered,
  Disclosure,
  IndicatorType,
  IncidentState,
  IncidentStatus,
  ServerToClientEvents,
  Severity,
  SocketAuth,
  Pap,
  Tlp,
};
