import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '@corridor/config';
import { alertNotification, type Alert, type NotificationRule, type SharingContext } from '@corridor/domain';
import { NotificationRulesRepository } from '@corridor/persistence';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.service';

export type AlertChange = 'triggered' | 'acknowledged' | 'resolved';

/**
 * Hands an alert's change to the channels its rule names (webhook endpoints; e-mail), worded for
 * the organization as a whole and cut to each channel's TLP by `channelView`. Every notification has
 * a stable id per (alert, change), so a retried job delivers nothing twice.
 */
@Injectable()
export class AlertNotifier {
  constructor(
    private readonly rules: NotificationRulesRepository,
    private readonly webhooks: WebhookDispatcher,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** `rule`: when the caller has it at hand; otherwise it is read (a removed rule tells nobody). */
  async notify(alert: Alert, change: AlertChange, sharing: SharingContext, rule?: NotificationRule): Promise<void> {
    const target = rule ?? (await this.rules.find(alert.orgId, alert.ruleId));
    if (!target) return;
    const notification = alertNotification(
      alert,
      `alert.${change}`,
      sharing.organizationViewer(alert.orgId),
      new Date(),
    );
    if (target.targets.webhookEndpointIds.length > 0) {
      await this.webhooks.dispatch(notification, { endpointIds: target.targets.webhookEndpointIds });
    }
    this.logger.debug({ alertId: alert.id, change }, 'alert handed to its channels');
  }

  /**
   * An escalation step paged `userIds`: `alert.escalated` (id per step) to the rule's webhooks.
   */
  async paged(alert: Alert, step: number, userIds: readonly string[], sharing: SharingContext): Promise<void> {
    const rule = await this.rules.find(alert.orgId, alert.ruleId);
    const viewer = sharing.organizationViewer(alert.orgId);
    const notification = alertNotification(alert, 'alert.escalated', viewer, new Date(), step);
    if (rule && rule.targets.webhookEndpointIds.length > 0) {
      await this.webhooks.dispatch(notification, { endpointIds: rule.targets.webhookEndpointIds });
    }
    this.logger.debug({ alertId: alert.id, step, paged: userIds.length }, 'escalation handed to its channels');
  }
}
