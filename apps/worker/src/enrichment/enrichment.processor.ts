import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, type AppConfig } from '@corridor/config';
import { JobWorker, providerQueue, type JobContext, type JobHandler, type JobPayloads } from '@corridor/queue';
import { EnrichmentService } from './enrichment.service';

/**
 * The workers of enrichment: one on the incident-enrichment queue, and one per configured provider
 * on that provider's own queue, whose limiter holds the provider's rate (excess jobs wait).
 */
@Injectable()
export class EnrichmentProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly workers: Array<JobWorker<'enrich-incident'> | JobWorker<'enrich-indicator'>> = [];

  constructor(
    private readonly enrichment: EnrichmentService,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const common = { redisUrl: this.config.REDIS_URL, redisPrefix: this.config.REDIS_PREFIX, logger: this.logger };
    const incidents: JobHandler<'enrich-incident'> = {
      job: 'enrich-incident',
      handle: (payload) => this.enrichment.enrichIncident(payload.incidentId),
    };
    this.workers.push(new JobWorker(incidents, { ...common, concurrency: this.config.WORKER_CONCURRENCY }));
    for (const provider of this.enrichment.providers.values()) {
      const { name, rateLimit } = provider.descriptor;
      const indicators: JobHandler<'enrich-indicator'> = {
        job: 'enrich-indicator',
        handle: (payload: JobPayloads['enrich-indicator'], context: JobContext) =>
          this.enrichment.enrichIndicator(payload, context),
      };
      this.workers.push(
        new JobWorker(indicators, {
          ...common,
          concurrency: this.config.ENRICH_CONCURRENCY,
          queue: providerQueue(name),
          limiter: { max: rateLimit.max, duration: rateLimit.durationMs },
        }),
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}
