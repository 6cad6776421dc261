import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, type AppConfig, type MailOptions } from '@corridor/config';
import { MailMessagesRepository } from '@corridor/persistence';
import { JobProducer } from '@corridor/queue';
import { PeriodicSweep } from '../sweeper/periodic-sweep';
import { MAIL_OPTIONS } from './mail-transport';

const BATCH = 200;

/**
 * Re-enqueues the send job of mails still pending SWEEP_PENDING_AFTER_MS after they were recorded:
 * Redis lost the job, or it failed for good before the message was marked. The job id is the message
 * id, so a job still queued or waiting out its backoff is not doubled. Off when e-mail is off.
 */
@Injectable()
export class MailSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweeper: PeriodicSweep;

  constructor(
    private readonly messages: MailMessagesRepository,
    private readonly jobs: JobProducer,
    @Inject(MAIL_OPTIONS) private readonly options: MailOptions | null,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.sweeper = new PeriodicSweep('pending mails', () => this.requeuePending(), logger);
  }

  onApplicationBootstrap(): void {
    if (this.options) this.sweeper.start(this.config.SWEEP_INTERVAL_MS);
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  /** One sweep now; returns how many mails were re-enqueued. */
  sweep(): Promise<number> {
    return this.sweeper.once();
  }

  private async requeuePending(): Promise<number> {
    if (!this.options) return 0;
    const ids = await this.messages.pendingSince(new Date(Date.now() - this.config.SWEEP_PENDING_AFTER_MS), BATCH);
    for (const messageId of ids)
      await this.jobs.requeue(
        'send-mail',
        { messageId },
        { attempts: this.options.maxAttempts, backoffMs: this.options.backoffMs },
      );
    return ids.length;
  }
}
