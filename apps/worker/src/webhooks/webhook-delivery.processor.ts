import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, type AppConfig } from '@corridor/config';
import { JobWorker, type JobHandler, type JobPayloads } from '@corridor/queue';
import { WebhookDeliveryService } from './webhook-delivery.service';

/**
 * Thin handler of `webhook-deliver`. An HTTP failure is not a job failure: the service records it
 * and enqueues the next attempt itself (its delay from `Retry-After` or the backoff), so BullMQ's own
 * retries only cover a store or Redis error while recording.
 */
@Injectable()
export class WebhookDeliveryProcessor
  implements JobHandler<'webhook-deliver'>, OnApplicationBootstrap, OnApplicationShutdown
{
  readonly job = 'webhook-deliver' as const;
  private worker?: JobWorker<'webhook-deliver'>;

  constructor(
    private readonly delivery: WebhookDeliveryService,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = new JobWorker(this, {
      redisUrl: this.config.REDIS_URL,
      redisPrefix: this.config.REDIS_PREFIX,
      concurrency: this.config.WEBHOOK_CONCURRENCY,
      logger: this.logger,
    });
  }

  async handle(payload: JobPayloads['webhook-deliver']): Promise<void> {
    await this.delivery.attempt(payload);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}
