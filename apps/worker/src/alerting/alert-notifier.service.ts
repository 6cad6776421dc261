import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '@corridor/config';
import {
  alertIncidentOf,
  alertNotification,
  type Alert,
  type NotificationRule,
  type SharingContext,
} from '@corridor/domain';
import { IncidentsRepository, NotificationRulesRepository, UsersRepository } from '@corridor/persistence';
import { MailDispatcher } from '../mail/mail-dispatcher.service';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.service';

export type AlertChange = 'triggered' | 'acknowledged' | 'resolved';

/**
 * Hands an alert's change to the channels its rule names (webhook endpoints, e-mail addresses), worded for
 * the organization as a whole and cut to each channel's TLP by `channelView`. Every notification has
 * a stable id per (alert, change), so a retried job delivers nothing twice.
 */
@Injectable()
export class AlertNotifier {
  constructor(
    private readonly rules: NotificationRulesRepository,
    private readonly webhooks: WebhookDispatcher,
    private readonly mail: MailDispatcher,
    private readonly users: UsersRepository,
    private readonly incidents: IncidentsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * The alert with its incident as it is now: a TLP raised since the alert was raised (GREEN → RED)
   * must label, and hold back, what the channels carry. An incident gone from the store tells
   * nothing more than the ids and label of the copy.
   */
  async current(alert: Alert): Promise<Alert> {
    const incident = await this.incidents.findById(alert.incident.id);
    return incident ? { ...alert, incident: alertIncidentOf(incident) } : alert;
  }

  /** `rule`: when the caller has it at hand; otherwise it is read (a removed rule tells nobody). */
  async notify(raised: Alert, change: AlertChange, sharing: SharingContext, rule?: NotificationRule): Promise<void> {
    const target = rule ?? (await this.rules.find(raised.orgId, raised.ruleId));
    if (!target) return;
    const alert = change === 'triggered' ? raised : await this.current(raised);
    const notification = alertNotification(
      alert,
      `alert.${change}`,
      sharing.organizationViewer(alert.orgId),
      new Date(),
    );
    if (target.targets.webhookEndpointIds.length > 0) {
      await this.webhooks.dispatch(notification, { endpointIds: target.targets.webhookEndpointIds });
    }
    if (target.targets.emails.length > 0) {
      await this.mail.dispatch(
        notification,
        target.targets.emails.map((email) => ({ ...email, maxTlp: target.maxTlp })),
      );
    }
    this.logger.debug({ alertId: alert.id, change }, 'alert handed to its channels');
  }

  /**
   * An escalation step paged `userIds`: `alert.escalated` (id per step) to the rule's webhooks, and
   * by e-mail to each person paged.
   */
  /** `alert` with its incident as it is now (see `current`). */
  async paged(alert: Alert, step: number, userIds: readonly string[], sharing: SharingContext): Promise<void> {
    const rule = await this.rules.find(alert.orgId, alert.ruleId);
    const viewer = sharing.organizationViewer(alert.orgId);
    const notification = alertNotification(alert, 'alert.escalated', viewer, new Date(), step);
    if (rule && rule.targets.webhookEndpointIds.length > 0) {
      await this.webhooks.dispatch(notification, { endpointIds: rule.targets.webhookEndpointIds });
    }
    // The people paged, each in their own language; the rule's e-mail cap applies (GREEN when it is gone).
    const people = await this.users.findByIds(userIds);
    await this.mail.dispatch(
      notification,
      people
        .filter((person) => person.orgId === alert.orgId)
        .map((person) => ({ address: person.email, language: person.language, maxTlp: rule?.maxTlp ?? 'GREEN' })),
    );
    this.logger.debug({ alertId: alert.id, step, paged: userIds.length }, 'escalation handed to its channels');
  }
}
