import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { Webhook } from 'standardwebhooks';
import { CONFIG, LOGGER, webhookSettings, type AppConfig } from '@corridor/config';
import {
  parseRetryAfter,
  signingSecrets,
  webhookNextStep,
  type WebhookDeliveryState,
  type WebhookNextStep,
} from '@corridor/domain';
import { WebhookDeliveriesRepository, WebhookEndpointsRepository } from '@corridor/persistence';
import { WebhookJobProducer, type JobPayloads } from '@corridor/queue';
import { sendWebhook } from './webhook-sender';

const STATE_AFTER: Record<WebhookNextStep['kind'], WebhookDeliveryState> = {
  succeeded: 'succeeded',
  disable: 'failed',
  retry: 'pending',
  dead: 'dead',
};

/** The longest error text kept on an attempt. */
const MAX_ERROR = 300;

/**
 * Makes one attempt of a webhook delivery: signs it (Standard Webhooks: `webhook-id` = the delivery
 * id, the same on every attempt and replay; `webhook-timestamp` = now; `webhook-signature` = one
 * `v1,<base64>` per signing secret, space-separated — two during a rotation's overlap), POSTs it,
 * records the attempt on the delivery and decides what follows (`webhookNextStep`): the next attempt
 * as a delayed job of its own, the dead letter, or — on 410 Gone — the endpoint disabled.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly settings: ReturnType<typeof webhookSettings>;

  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly jobs: WebhookJobProducer,
    @Inject(CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.settings = webhookSettings(config);
  }

  /**
   * Attempt `attempt` of `round`. Does nothing when the delivery is gone, not pending, or already
   * past that attempt (a duplicate or stale job); stops it when its endpoint was deleted or disabled.
   */
  async attempt({ deliveryId, round, attempt }: JobPayloads['webhook-deliver']): Promise<void> {
    const delivery = await this.deliveries.findById(deliveryId);
    if (!delivery || delivery.state !== 'pending' || delivery.round !== round || delivery.attemptCount !== attempt - 1)
      return;
    const endpoint = await this.endpoints.find(delivery.orgId, delivery.endpointId);
    if (!endpoint || !endpoint.enabled) {
      await this.deliveries.stop(deliveryId, round, new Date());
      return;
    }
    const sentAt = new Date();
    const signature = signingSecrets(endpoint.secrets, sentAt)
      .map((secret) => new Webhook(secret).sign(deliveryId, sentAt, delivery.body))
      .join(' ');
    const answer = await sendWebhook({
      url: endpoint.url,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Corridor-Webhooks/1.0',
        'webhook-id': deliveryId,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body: delivery.body,
      timeoutMs: this.settings.timeoutMs,
      allowed: this.settings.allowedCidrs,
    });
    const step = webhookNextStep(
      answer.status,
      attempt,
      parseRetryAfter(answer.retryAfter, new Date()),
      this.settings.retry,
      Math.random,
    );
    const retryInMs = step.kind === 'retry' ? step.delayMs : null;
    const now = new Date();
    // 410 Gone: the endpoint is disabled before the attempt is logged, so whoever reads the 410 in the
    // log finds the endpoint disabled already (a crash in between leaves a disabled endpoint, whose
    // retried job then stops the delivery).
    if (step.kind === 'disable') {
      await this.endpoints.update(
        endpoint.orgId,
        endpoint.id,
        (current) => (current.enabled ? { enabled: false, disabledReason: 'gone' } : {}),
        now,
      );
    }
    const recorded = await this.deliveries.recordAttempt(
      deliveryId,
      {
        round,
        attempt: {
          round,
          attempt,
          at: sentAt,
          status: answer.status,
          durationMs: answer.durationMs,
          error: answer.error?.slice(0, MAX_ERROR) ?? null,
          retryInMs,
        },
        state: STATE_AFTER[step.kind],
        nextAttemptAt: retryInMs === null ? null : new Date(now.getTime() + retryInMs),
      },
      now,
    );
    const fields = {
      deliveryId,
      endpointId: endpoint.id,
      orgId: endpoint.orgId,
      round,
      attempt,
      status: answer.status,
    };
    if (!recorded) {
      this.logger.info(fields, 'webhook attempt already recorded by another run');
      return;
    }
    switch (step.kind) {
      case 'succeeded':
        this.logger.info({ ...fields, durationMs: answer.durationMs }, 'webhook delivered');
        return;
      case 'dead':
        this.logger.warn({ ...fields, err: answer.error }, 'webhook delivery dead-lettered');
        return;
      case 'disable':
        this.logger.warn(fields, 'webhook endpoint answered 410 Gone: disabled');
        return;
      case 'retry':
        this.logger.info({ ...fields, err: answer.error, retryInMs }, 'webhook attempt failed; retrying');
        try {
          await this.jobs.enqueue(deliveryId, round, attempt + 1, step.delayMs);
        } catch (error) {
          // The delivery's `nextAttemptAt` is stored: the sweeper enqueues the attempt once it is overdue.
          this.logger.warn({ ...fields, err: error }, 'next webhook attempt not enqueued; the sweeper will');
        }
        return;
    }
  }
}
