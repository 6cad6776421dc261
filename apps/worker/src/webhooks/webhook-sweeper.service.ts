import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, type AppConfig } from '@corridor/config';
import { WebhookDeliveriesRepository } from '@corridor/persistence';
import { WebhookJobProducer } from '@corridor/queue';
import { PeriodicSweep } from '../sweeper/periodic-sweep';

const BATCH = 200;

/**
 * Re-enqueues the due attempt of pending deliveries whose `nextAttemptAt` passed more than
 * `SWEEP_PENDING_AFTER_MS` ago: the job was not taken by Redis, or Redis lost it. The job id
 * (delivery, round, attempt) collapses one still queued; an attempt already made ignores it.
 */
@Injectable()
export class WebhookSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweeper: PeriodicSweep;

  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly jobs: WebhookJobProducer,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.sweeper = new PeriodicSweep('overdue webhook attempts', () => this.requeueOverdue(), logger);
  }

  onApplicationBootstrap(): void {
    this.sweeper.start(this.config.SWEEP_INTERVAL_MS);
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  /** One sweep now; returns how many attempts were re-enqueued. */
  sweep(): Promise<number> {
    return this.sweeper.once();
  }

  private async requeueOverdue(): Promise<number> {
    const overdue = await this.deliveries.overdue(new Date(Date.now() - this.config.SWEEP_PENDING_AFTER_MS), BATCH);
    for (const delivery of overdue) await this.jobs.enqueue(delivery.id, delivery.round, delivery.attemptCount + 1);
    return overdue.length;
  }
}
