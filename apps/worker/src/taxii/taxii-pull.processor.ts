import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, type AppConfig } from '@corridor/config';
import { TaxiiFeedsRepository } from '@corridor/persistence';
import { JobWorker, TaxiiPullProducer, type JobContext, type JobHandler, type JobPayloads } from '@corridor/queue';
import { TaxiiPullService } from './taxii-pull.service';

/**
 * Thin handler of `taxii-pull`; at boot it re-registers the schedule of every enabled feed (a Redis
 * that lost its keys loses the Job Schedulers, not the feeds).
 */
@Injectable()
export class TaxiiPullProcessor implements JobHandler<'taxii-pull'>, OnApplicationBootstrap, OnApplicationShutdown {
  readonly job = 'taxii-pull' as const;
  private worker?: JobWorker<'taxii-pull'>;

  constructor(
    private readonly pulls: TaxiiPullService,
    private readonly feeds: TaxiiFeedsRepository,
    private readonly schedules: TaxiiPullProducer,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  handle(payload: JobPayloads['taxii-pull'], context: JobContext): Promise<void> {
    return this.pulls.pull(payload.feedId, context);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.worker = new JobWorker(this, {
      redisUrl: this.config.REDIS_URL,
      redisPrefix: this.config.REDIS_PREFIX,
      concurrency: this.config.WORKER_CONCURRENCY,
      logger: this.logger,
    });
    try {
      for (const feed of await this.feeds.enabled()) await this.schedules.schedule(feed.id, feed.pollIntervalSeconds);
    } catch (error) {
      this.logger.warn({ err: error }, 'could not re-register the TAXII feeds’ schedules');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}
