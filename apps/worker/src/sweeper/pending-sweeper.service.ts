import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, type AppConfig } from '@corridor/config';
import { IncidentsRepository } from '@corridor/persistence';
import { IncidentQueueProducer } from '@corridor/queue';
import { PeriodicSweep } from './periodic-sweep';

const BATCH = 500;

/**
 * Re-enqueues incidents whose processing has not finished for too long: the api could not reach
 * Redis after saving them, or Redis lost its queue. Job ids are deterministic, so an incident that
 * is still queued is not queued twice.
 */
@Injectable()
export class PendingSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweeper: PeriodicSweep;

  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly producer: IncidentQueueProducer,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.sweeper = new PeriodicSweep('unfinished incidents', () => this.requeueUnfinished(), logger);
  }

  onApplicationBootstrap(): void {
    void this.sweeper.once();
    this.sweeper.start(this.config.SWEEP_INTERVAL_MS);
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  /** One sweep now; returns how many incidents were re-enqueued. */
  sweep(): Promise<number> {
    return this.sweeper.once();
  }

  private async requeueUnfinished(): Promise<number> {
    const before = new Date(Date.now() - this.config.SWEEP_PENDING_AFTER_MS);
    const ids = await this.incidents.findUnfinished(before, BATCH);
    for (const id of ids) await this.producer.enqueue(id);
    return ids.length;
  }
}
