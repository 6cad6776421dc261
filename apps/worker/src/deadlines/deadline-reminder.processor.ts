import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, type AppConfig } from '@corridor/config';
import { JobWorker, type JobHandler, type JobPayloads } from '@corridor/queue';
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
  private timer?: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    private readonly reminders: DeadlineRemindersService,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = new JobWorker(this, {
      redisUrl: this.config.REDIS_URL,
      redisPrefix: this.config.REDIS_PREFIX,
      concurrency: 2,
      logger: this.logger,
    });
    this.timer = setInterval(() => void this.sweep(), this.config.SWEEP_INTERVAL_MS);
  }

  async handle(payload: JobPayloads['deadline-reminder']): Promise<void> {
    await this.reminders.remind(payload);
  }

  /** Reminders due for longer than SWEEP_PENDING_AFTER_MS and not sent are re-enqueued (same job id). */
  async sweep(): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    try {
      const count = await this.reminders.requeueDue(new Date(Date.now() - this.config.SWEEP_PENDING_AFTER_MS), BATCH);
      if (count > 0) this.logger.info({ count }, 're-enqueued due deadline reminders');
      return count;
    } catch (error) {
      this.logger.warn({ err: error }, 'deadline reminder sweep failed; next interval retries');
      return 0;
    } finally {
      this.sweeping = false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.worker?.close();
  }
}
