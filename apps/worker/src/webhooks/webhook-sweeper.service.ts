import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, type AppConfig } from '@corridor/config';
import { WebhookDeliveriesRepository } from '@corridor/persistence';
import { WebhookJobProducer } from '@corridor/queue';

const BATCH = 200;

/**
 * Re-enqueues the due attempt of pending deliveries whose `nextAttemptAt` passed more than
 * `SWEEP_PENDING_AFTER_MS` ago: the job was not taken by Redis, or Redis lost it. The job id
 * (delivery, round, attempt) collapses one still queued; an attempt already made ignores it.
 */
@Injectable()
export class WebhookSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly jobs: WebhookJobProducer,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.SWEEP_INTERVAL_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Returns how many attempts were re-enqueued. */
  async sweep(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const overdue = await this.deliveries.overdue(new Date(Date.now() - this.config.SWEEP_PENDING_AFTER_MS), BATCH);
      for (const delivery of overdue) await this.jobs.enqueue(delivery.id, delivery.round, delivery.attemptCount + 1);
      if (overdue.length > 0) this.logger.info({ count: overdue.length }, 're-enqueued overdue webhook attempts');
      return overdue.length;
    } catch (error) {
      this.logger.warn({ err: error }, 'webhook sweep failed; next interval retries');
      return 0;
    } finally {
      this.running = false;
    }
  }
}
