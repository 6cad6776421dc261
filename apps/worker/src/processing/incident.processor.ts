import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, type AppConfig } from '@corridor/config';
import { INCIDENT_QUEUE, bullPrefix, type ProcessIncidentJob } from '@corridor/queue';
import { IncidentProcessingService } from './incident-processing.service';

const MAX_REASON = 500;

/** Thin BullMQ processor: validate the payload, call the service, let errors drive the retries. */
@Injectable()
export class IncidentProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private worker?: Worker<ProcessIncidentJob>;

  constructor(
    private readonly processing: IncidentProcessingService,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const connection = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    this.worker = new Worker<ProcessIncidentJob>(INCIDENT_QUEUE, (job) => this.handle(job), {
      connection,
      prefix: bullPrefix(this.config.REDIS_PREFIX),
      concurrency: this.config.WORKER_CONCURRENCY,
    });
    this.worker.on('failed', (job, error) => void this.onFailed(job, error));
    this.worker.on('error', (error) => this.logger.error({ err: error }, 'queue connection error'));
    this.logger.info({ queue: INCIDENT_QUEUE, concurrency: this.config.WORKER_CONCURRENCY }, 'worker listening');
  }

  async handle(job: Job<ProcessIncidentJob>): Promise<void> {
    const incidentId: unknown = job.data?.incidentId;
    if (typeof incidentId !== 'string' || incidentId.length === 0 || incidentId.length > 100) {
      throw new UnrecoverableError('job payload has no valid incidentId');
    }
    await this.processing.process(incidentId);
  }

  /** After the last attempt (or a permanent error) the incident shows `failed` with the reason. */
  private async onFailed(job: Job<ProcessIncidentJob> | undefined, error: Error): Promise<void> {
    if (!job) return;
    const incidentId = job.data?.incidentId;
    const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    this.logger.warn(
      { jobId: job.id, incidentId, attempt: job.attemptsMade, final, err: error },
      'incident job failed',
    );
    if (!final || typeof incidentId !== 'string') return;
    try {
      await this.processing.markFailed(incidentId, error.message.slice(0, MAX_REASON));
    } catch (markError) {
      this.logger.error(
        { jobId: job.id, incidentId, err: markError },
        'could not record the failure; the sweeper will retry',
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}
