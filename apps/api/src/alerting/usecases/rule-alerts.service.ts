import { Injectable } from '@nestjs/common';
import {
  ALERT_STATES,
  DomainError,
  alertId,
  alertIncidentOf,
  alertViewFor,
  notFound,
  timelineIds,
  transitionAlert,
  type AlertTransition,
  type Principal,
  type RuleAlertView,
  type Scope,
  type SharingContext,
} from '@corridor/domain';
import {
  AlertsRepository,
  CorrelationsRepository,
  DocumentLocks,
  IncidentsRepository,
  NotificationRulesRepository,
  Principals,
  SharingDirectory,
  type StoredAlert,
} from '@corridor/persistence';
import { JobProducer } from '@corridor/queue';
import { RealtimePublisher, planAlertChanged } from '@corridor/realtime';
import { CorrelationAcks } from '../../alerts/correlation-acks.service';
import { AuditService } from '../../audit/audit.service';
import { TimelineRecorder } from '../../timeline/timeline-recorder.service';
import { decodePosition, encodePosition } from '../../common/position-cursor';
import type { ListRuleAlertsQuery } from '../dto/alerting.dto';

const ALERT_ID = /^al-[0-9a-f]{32}$/;
/** How the source id of an alert raised from a correlation begins (see `correlationEvent`). */
const CORRELATION_SOURCE = 'correlation:';

/** On-call staff act by their scope, org-admins by `oncall:manage`: either one will do. */
function requireEither(principal: Principal, scope: Scope, other: Scope, what: string): void {
  if (!principal.scopes.includes(scope) && !principal.scopes.includes(other))
    throw new DomainError('forbidden', `${what} needs ${scope} or ${other}`);
}

/**
 * The alerts rules raised for the caller's organization: listing them, and acknowledging or
 * resolving one — the one use case behind REST, the socket events and the dashboard inbox.
 * Acknowledging and resolving take `alerts:ack` (on-call staff) or `oncall:manage` (org-admins).
 */
@Injectable()
export class RuleAlerts {
  constructor(
    private readonly alerts: AlertsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly sharing: SharingDirectory,
    private readonly principals: Principals,
    private readonly locks: DocumentLocks,
    private readonly publisher: RealtimePublisher,
    private readonly jobs: JobProducer,
    private readonly audit: AuditService,
    private readonly timeline: TimelineRecorder,
    private readonly rules: NotificationRulesRepository,
    private readonly correlations: CorrelationsRepository,
    private readonly correlationAcks: CorrelationAcks,
  ) {}

  async list(
    principal: Principal,
    query: ListRuleAlertsQuery,
  ): Promise<{ items: RuleAlertView[]; nextCursor: string | null }> {
    requireEither(principal, 'alerts:read', 'oncall:manage', 'reading alerts');
    const limit = query.limit ?? 50;
    // Withdrawn alerts (what raised them was retracted) have left the inbox: listed only when asked for.
    const states = query.state ? [...new Set(query.state.split(','))] : ALERT_STATES.filter((s) => s !== 'withdrawn');
    const page = await this.alerts.page(principal.orgId, states, decodePosition(query.cursor, 'al'), limit + 1);
    const shown = page.slice(0, limit);
    const [current, sharing] = await Promise.all([
      this.incidents.findByIds(shown.map((alert) => alert.incident.id)),
      this.sharing.context(),
    ]);
    const items = shown.map((alert) => {
      const incident = current.get(alert.incident.id);
      return this.viewFor(principal, incident ? { ...alert, incident: alertIncidentOf(incident) } : alert, sharing);
    });
    const last = shown.at(-1);
    return {
      items,
      nextCursor: page.length > limit && last ? encodePosition({ createdAt: last.createdAt, id: last.id }) : null,
    };
  }

  async get(principal: Principal, id: string): Promise<RuleAlertView> {
    requireEither(principal, 'alerts:read', 'oncall:manage', 'reading alerts');
    const alert = await this.find(principal, id);
    const [incident, sharing] = await Promise.all([this.incidents.findById(alert.incident.id), this.sharing.context()]);
    return this.viewFor(principal, incident ? { ...alert, incident: alertIncidentOf(incident) } : alert, sharing);
  }

  /**
   * Acknowledges or resolves an alert of the caller's organization. Idempotent: a repeat (or a
   * second person, later) gets the alert as it stands and changes nothing; only the change made is
   * announced live, recorded on the incident's timeline and audited. Stops its escalation.
   * Acknowledging an alert raised from a correlation acknowledges the correlation for the
   * organization too (as `POST /api/v1/correlations/:id/ack` would), and so the organization's other
   * alerts of it.
   */
  async change(principal: Principal, id: string, transition: AlertTransition): Promise<RuleAlertView> {
    requireEither(principal, 'alerts:ack', 'oncall:manage', 'acknowledging alerts');
    if (!ALERT_ID.test(id)) throw notFound('alert');
    const { alert, incident, sharing } = await this.apply(principal, id, transition);
    // Also on a repeat: it finishes what a call that failed half-way left undone.
    if (transition === 'acknowledge' && alert.acknowledged && alert.source.kind === 'correlation') {
      const correlationId = alert.source.id.slice(CORRELATION_SOURCE.length);
      const correlation = await this.correlations.findById(correlationId);
      const own = [correlation?.found, correlation?.earlier].find((side) => side?.orgId === principal.orgId);
      const ownIncident =
        own && (own.incidentId === incident?.id ? incident : await this.incidents.findById(own.incidentId));
      if (correlation && ownIncident) await this.correlationAcks.record(principal, correlation, ownIncident, sharing);
      await this.acknowledgeRaisedFrom(principal, correlationId);
    }
    return this.viewFor(principal, alert, sharing);
  }

  /**
   * Acknowledges the alerts the caller's organization's rules raised from a correlation and that are
   * still triggered, each as `change` does (without going back to the correlation). Their ids follow
   * from the organization's correlation rules, disabled ones included (their alerts may still escalate).
   */
  async acknowledgeRaisedFrom(principal: Principal, correlationId: string): Promise<void> {
    requireEither(principal, 'alerts:ack', 'oncall:manage', 'acknowledging alerts');
    for (const rule of await this.rules.listByOrg(principal.orgId)) {
      if (rule.trigger.kind !== 'correlation') continue;
      const id = alertId(principal.orgId, rule.id, `${CORRELATION_SOURCE}${correlationId}`);
      // Read by id first: most correlations raised no alert of most rules, and those need no lock.
      if ((await this.alerts.findById(id))?.state === 'triggered') await this.apply(principal, id, 'acknowledge');
    }
  }

  /** One transition of one alert, and what it makes known; the alert with its incident as it is now. */
  private async apply(principal: Principal, id: string, transition: AlertTransition) {
    const at = new Date();
    // One read, under the lock: whether the alert is the caller's organization's, and its state.
    const outcome = await this.locks.withLock('alerts', id, async () => {
      const alert = await this.find(principal, id);
      const result = transitionAlert(alert, transition, principal.id, at);
      if (!result.changed) return { changed: false as const, alert };
      const next: StoredAlert = { ...alert, ...result.alert };
      await this.alerts.save(next);
      return {
        changed: true as const,
        alert: next,
        pendingStep: alert.escalation?.nextAt ? alert.escalation.step : null,
      };
    });
    const [incident, sharing] = await Promise.all([
      this.incidents.findById(outcome.alert.incident.id),
      this.sharing.context(),
    ]);
    const alert = incident ? { ...outcome.alert, incident: alertIncidentOf(incident) } : outcome.alert;
    if (outcome.changed) {
      const change: 'acknowledged' | 'resolved' = transition === 'acknowledge' ? 'acknowledged' : 'resolved';
      if (outcome.pendingStep !== null)
        await this.jobs.cancel('escalate-alert', { alertId: id, step: outcome.pendingStep }).catch(() => undefined);
      await this.audit.record(principal, { action: `alert.${transition}`, target: { type: 'alert', id } });
      // E-mail and webhooks hear of it from the worker (retried there; the answer does not wait).
      await this.jobs.enqueue('notify-alert', { alertId: id, change });
      const principals = incident ? await this.principals.of(incident) : new Map();
      await this.publisher.publish(planAlertChanged(alert, change, sharing, principals));
      if (incident) {
        const entry = {
          id: timelineIds.alertChanged(incident.id, id, change),
          incidentId: incident.id,
          at,
          actor: { orgId: principal.orgId, principalId: principal.id },
          kind: 'alert_changed' as const,
          alertId: id,
          change,
          ruleName: alert.ruleName,
        };
        await this.timeline.record([entry], incident, sharing);
      }
    }
    return { alert, incident, sharing };
  }

  private async find(principal: Principal, id: string): Promise<StoredAlert> {
    const alert = ALERT_ID.test(id) ? await this.alerts.findById(id) : undefined;
    if (!alert || alert.orgId !== principal.orgId) throw notFound('alert');
    return alert;
  }

  /** The incident part only for a reader with `incidents:read` who may see it. */
  private viewFor(principal: Principal, alert: StoredAlert, sharing: SharingContext): RuleAlertView {
    const view = alertViewFor(sharing.viewerFor(principal), alert);
    return principal.scopes.includes('incidents:read') ? view : { ...view, incident: null };
  }
}
