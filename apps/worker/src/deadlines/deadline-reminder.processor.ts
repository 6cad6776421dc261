import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, type AppConfig } from '@corridor/config';
import { JobWorker, type JobHandler, type JobPayloads } from '@corridor/queue';
import { PeriodicSweep } from '../sweeper/periodic-sweep';
import { DeadlineRemindersService } from './deadline-reminders.service';

const BATCH = 500;

/**
 * Thin handler of `deadline-reminder`, and the sweeper that re-creates lost reminders from the
 * stored deadlines' next reminder time.
 */
@Injectable()
export class DeadlineReminderProcessor
  implements JobHandler<'deadline-reminder'>, OnApplicationBootstrap, OnApplicationShutdown
{
  readonly job = 'deadline-reminder' as const;
  private worker?: JobWorker<'deadline-reminder'>;
  private readonly sweeper: PeriodicSweep;

  constructor(
    private readonly reminders: DeadlineRemindersService,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    // Reminders due for longer than SWEEP_PENDING_AFTER_MS and not sent are re-enqueued (same job id).
    this.sweeper = new PeriodicSweep(
      'due deadline reminders',
      () => this.reminders.requeueDue(new Date(Date.now() - this.config.SWEEP_PENDING_AFTER_MS), BATCH),
      logger,
    );
  }

  onApplicationBootstrap(): void {
    this.worker = new JobWorker(this, {
      redisUrl: this.config.REDIS_URL,
      redisPrefix: this.config.REDIS_PREFIX,
      concurrency: 2,
      logger: this.logger,
    });
    this.sweeper.start(this.config.SWEEP_INTERVAL_MS);
  }

  async handle(payload: JobPayloads['deadline-reminder']): Promise<void> {
    await this.reminders.remind(payload);
  }

  async onApplicationShutdown(): Promise<void> {
    this.sweeper.stop();
    await this.worker?.close();
  }
}
