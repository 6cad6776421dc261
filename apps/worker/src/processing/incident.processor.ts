import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, type AppConfig } from '@corridor/config';
import { JobWorker, type JobHandler, type JobPayloads } from '@corridor/queue';
import { IncidentProcessingService } from './incident-processing.service';

/** Thin handler of `process-incident`: the job map checks the payload, the service does the work. */
@Injectable()
export class IncidentProcessor
  implements JobHandler<'process-incident'>, OnApplicationBootstrap, OnApplicationShutdown
{
  readonly job = 'process-incident' as const;
  private worker?: JobWorker<'process-incident'>;

  constructor(
    private readonly processing: IncidentProcessingService,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = new JobWorker(this, {
      redisUrl: this.config.REDIS_URL,
      redisPrefix: this.config.REDIS_PREFIX,
      concurrency: this.config.WORKER_CONCURRENCY,
      logger: this.logger,
    });
  }

  handle(payload: JobPayloads['process-incident']): Promise<void> {
    return this.processing.process(payload.incidentId);
  }

  /** After the last attempt (or a permanent error) the incident shows `failed` with the reason. */
  onFinalFailure(payload: JobPayloads['process-incident'], reason: string): Promise<void> {
    return this.processing.markFailed(payload.incidentId, reason);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}
