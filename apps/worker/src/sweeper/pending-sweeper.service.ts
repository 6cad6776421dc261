import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, type AppConfig } from '@corridor/config';
import { IncidentsRepository } from '@corridor/persistence';
import { IncidentQueueProducer } from '@corridor/queue';

const BATCH = 500;

/**
 * Re-enqueues incidents whose processing has not finished for too long: the api could not reach
 * Redis after saving them, or Redis lost its queue. Job ids are deterministic, so an incident that
 * is still queued is not queued twice.
 */
@Injectable()
export class PendingSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly producer: IncidentQueueProducer,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.config.SWEEP_INTERVAL_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Returns how many incidents were re-enqueued. */
  async sweep(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const before = new Date(Date.now() - this.config.SWEEP_PENDING_AFTER_MS);
      const ids = await this.incidents.findUnfinished(before, BATCH);
      for (const id of ids) await this.producer.enqueue(id);
      if (ids.length > 0) this.logger.info({ count: ids.length }, 're-enqueued unfinished incidents');
      return ids.length;
    } catch (error) {
      this.logger.warn({ err: error }, 'sweep failed; next interval retries');
      return 0;
    } finally {
      this.running = false;
    }
  }
}
