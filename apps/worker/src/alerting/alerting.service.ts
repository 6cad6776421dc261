import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '@corridor/config';
import { alertsFor, type NotificationRule, type SharingContext, type SourceEvent } from '@corridor/domain';
import { AlertsRepository, RulesCache, type StoredAlert } from '@corridor/persistence';
import { JobProducer } from '@corridor/queue';
import { RealtimePublisher, planAlertChanged, type PrincipalDirectory } from '@corridor/realtime';
import { AlertNotifier } from './alert-notifier.service';

/**
 * Evaluates every organization's notification rules on domain events (an incident processed, a
 * correlation, a watchlist hit, a contact request) and raises their alerts: each once (the alert id
 * derives from organization, rule and event), announced to the organization's on-call room, handed
 * to the rule's channels, and put under its escalation policy.
 *
 * Called on every retry of the job that saw the event: alerts already recorded are not raised again,
 * and those recorded but not announced (a crash in between) are announced now.
 */
@Injectable()
export class AlertingService {
  constructor(
    private readonly rules: RulesCache,
    private readonly alerts: AlertsRepository,
    private readonly publisher: RealtimePublisher,
    private readonly jobs: JobProducer,
    private readonly notifier: AlertNotifier,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Raises the alerts of `events`; `principals` must name the people of RED incidents among them. */
  async raise(
    events: readonly SourceEvent[],
    sharing: SharingContext,
    principals: PrincipalDirectory,
  ): Promise<number> {
    if (events.length === 0) return 0;
    const rules = await this.rules.enabled();
    if (rules.length === 0) return 0;
    const now = new Date();
    const raised = events.flatMap((event) =>
      alertsFor(event, rules, (orgId) => sharing.organizationViewer(orgId), now),
    );
    if (raised.length === 0) return 0;
    const pending = await this.alerts.recordAndFindUnannounced(raised);
    const byId = new Map(rules.map((rule) => [rule.id, rule]));
    for (const alert of pending) await this.announce(alert, byId.get(alert.ruleId), sharing, principals);
    await this.alerts.markAnnounced(pending.map((alert) => alert.id));
    if (pending.length > 0)
      this.logger.info(
        { alerts: pending.length, orgIds: [...new Set(pending.map((a) => a.orgId))].slice(0, 20) },
        'alerts raised',
      );
    return pending.length;
  }

  private async announce(
    alert: StoredAlert,
    rule: NotificationRule | undefined,
    sharing: SharingContext,
    principals: PrincipalDirectory,
  ): Promise<void> {
    // Every alert is in the organization's inbox; the room hears of it live when the rule says so.
    if (!rule || rule.targets.room)
      await this.publisher.publish(planAlertChanged(alert, 'triggered', sharing, principals));
    await this.notifier.notify(alert, 'triggered', sharing, rule);
    if (alert.escalation?.nextAt) {
      await this.jobs.enqueue('escalate-alert', { alertId: alert.id, step: alert.escalation.step });
    }
  }
}
