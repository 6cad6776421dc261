import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, type AppConfig } from '@corridor/config';
import { RetractionsRepository } from '@corridor/persistence';
import { JobProducer, JobWorker, type JobHandler, type JobPayloads } from '@corridor/queue';
import { PeriodicSweep } from '../sweeper/periodic-sweep';
import { RetractionService } from './retraction.service';

const BATCH = 100;

/**
 * Thin handler of `retract`, and the sweeper that re-queues retractions still pending after
 * SWEEP_PENDING_AFTER_MS (a job lost with Redis, or one that ran out of attempts waiting for its
 * incident's processing): the job id is the retraction id, so a job still queued is not doubled.
 */
@Injectable()
export class RetractionProcessor implements JobHandler<'retract'>, OnApplicationBootstrap, OnApplicationShutdown {
  readonly job = 'retract' as const;
  private worker?: JobWorker<'retract'>;
  private readonly sweeper: PeriodicSweep;

  constructor(
    private readonly retractionService: RetractionService,
    retractions: RetractionsRepository,
    jobs: JobProducer,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.sweeper = new PeriodicSweep(
      'pending retractions',
      async () => {
        const pending = await retractions.pendingSince(new Date(Date.now() - config.SWEEP_PENDING_AFTER_MS), BATCH);
        for (const retraction of pending) await jobs.requeue('retract', { retractionId: retraction.id });
        return pending.length;
      },
      logger,
    );
  }

  onApplicationBootstrap(): void {
    this.worker = new JobWorker(this, {
      redisUrl: this.config.REDIS_URL,
      redisPrefix: this.config.REDIS_PREFIX,
      concurrency: 1,
      logger: this.logger,
    });
    this.sweeper.start(this.config.SWEEP_INTERVAL_MS);
  }

  async handle(payload: JobPayloads['retract']): Promise<void> {
    await this.retractionService.run(payload.retractionId);
  }

  async onApplicationShutdown(): Promise<void> {
    this.sweeper.stop();
    await this.worker?.close();
  }
}
