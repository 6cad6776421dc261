import { Injectable } from '@nestjs/common';
import { newWebhookDelivery, type Notification } from '@corridor/domain';
import { WebhookDeliveriesRepository, WebhookEndpointsRepository } from '@corridor/persistence';
import { WebhookJobProducer } from '@corridor/queue';

/**
 * The webhook channel, as the rules engine calls it: one delivery per enabled endpoint of the
 * notification's organization subscribed to its type, each with the deterministic id
 * `webhookDeliveryId(endpoint, notification)`, carrying `channelView(notification, endpoint.maxTlp)`,
 * and the first attempt's job. Idempotent: a retried call creates no second delivery, and re-enqueues
 * a first attempt that may have been lost (its job id collapses a duplicate; a delivery already past
 * it ignores it).
 */
@Injectable()
export class WebhookDispatcher {
  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly jobs: WebhookJobProducer,
  ) {}

  /**
   * `opts.endpointIds`: only among these endpoints (still those of the organization, enabled and
   * subscribed). `opts.anyType`: whatever types they subscribe to (a retraction reaches every endpoint
   * that was sent what it withdraws). Rejects when the store or Redis fails (retry the caller's job:
   * nothing is doubled).
   */
  async dispatch(notification: Notification, opts: { endpointIds?: string[]; anyType?: boolean } = {}): Promise<void> {
    const endpoints = await this.endpoints.subscribed(
      notification.orgId,
      opts.anyType ? null : notification.type,
      opts.endpointIds,
    );
    const now = new Date();
    for (const endpoint of endpoints) {
      const delivery = newWebhookDelivery(endpoint, notification, now);
      await this.deliveries.insertIfAbsent(delivery);
      await this.jobs.enqueue(delivery.id, 0, 1);
    }
  }
}
