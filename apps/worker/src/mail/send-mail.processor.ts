import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, type AppConfig, type MailOptions } from '@corridor/config';
import { JobWorker, type JobHandler, type JobPayloads } from '@corridor/queue';
import { MailSender } from './mail-sender.service';
import { MAIL_OPTIONS } from './mail-transport';

/** Thin handler of `send-mail`: the job map checks the payload, the sender does the work. Idle when e-mail is off. */
@Injectable()
export class SendMailProcessor implements JobHandler<'send-mail'>, OnApplicationBootstrap, OnApplicationShutdown {
  readonly job = 'send-mail' as const;
  private worker?: JobWorker<'send-mail'>;

  constructor(
    private readonly sender: MailSender,
    @Inject(MAIL_OPTIONS) private readonly options: MailOptions | null,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options) return;
    this.worker = new JobWorker(this, {
      redisUrl: this.config.REDIS_URL,
      redisPrefix: this.config.REDIS_PREFIX,
      concurrency: this.config.WORKER_CONCURRENCY,
      logger: this.logger,
    });
  }

  handle(payload: JobPayloads['send-mail']): Promise<void> {
    return this.sender.send(payload.messageId);
  }

  onFinalFailure(payload: JobPayloads['send-mail'], reason: string): Promise<void> {
    return this.sender.fail(payload.messageId, reason);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}
