import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, type AppConfig } from '@corridor/config';
import { JobWorker, type JobHandler, type JobPayloads } from '@corridor/queue';
import { PeriodicSweep } from '../sweeper/periodic-sweep';
import { EscalationService } from './escalation.service';

const BATCH = 500;

/**
 * Thin handler of `escalate-alert`, and the sweeper that re-creates lost steps from the alerts'
 * stored next escalation time.
 */
@Injectable()
export class EscalationProcessor
  implements JobHandler<'escalate-alert'>, OnApplicationBootstrap, OnApplicationShutdown
{
  readonly job = 'escalate-alert' as const;
  private worker?: JobWorker<'escalate-alert'>;
  private readonly sweeper: PeriodicSweep;

  constructor(
    private readonly escalation: EscalationService,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    // Steps due for longer than SWEEP_PENDING_AFTER_MS are re-enqueued (same job id: no duplicate).
    this.sweeper = new PeriodicSweep(
      'due escalation steps',
      () => this.escalation.requeueDue(new Date(Date.now() - this.config.SWEEP_PENDING_AFTER_MS), BATCH),
      logger,
    );
  }

  onApplicationBootstrap(): void {
    this.worker = new JobWorker(this, {
      redisUrl: this.config.REDIS_URL,
      redisPrefix: this.config.REDIS_PREFIX,
      concurrency: 4,
      logger: this.logger,
      // A step killed mid-run is taken up again within seconds, not BullMQ's default half-minute.
      lockDurationMs: 10_000,
    });
    this.sweeper.start(this.config.SWEEP_INTERVAL_MS);
  }

  async handle(payload: JobPayloads['escalate-alert']): Promise<void> {
    await this.escalation.run(payload.alertId, payload.step);
  }

  async onApplicationShutdown(): Promise<void> {
    this.sweeper.stop();
    await this.worker?.close();
  }
}
