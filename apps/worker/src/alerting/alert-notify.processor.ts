import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, type AppConfig } from '@corridor/config';
import { AlertsRepository, SharingDirectory } from '@corridor/persistence';
import { JobWorker, type JobHandler, type JobPayloads } from '@corridor/queue';
import { AlertNotifier } from './alert-notifier.service';

/** Thin handler of `notify-alert`: an acknowledgement or resolution made in the api, told to the channels. */
@Injectable()
export class AlertNotifyProcessor implements JobHandler<'notify-alert'>, OnApplicationBootstrap, OnApplicationShutdown {
  readonly job = 'notify-alert' as const;
  private worker?: JobWorker<'notify-alert'>;

  constructor(
    private readonly alerts: AlertsRepository,
    private readonly sharing: SharingDirectory,
    private readonly notifier: AlertNotifier,
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
  }

  async handle(payload: JobPayloads['notify-alert']): Promise<void> {
    const alert = await this.alerts.findById(payload.alertId);
    if (!alert) return;
    await this.notifier.notify(alert, payload.change, await this.sharing.context());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}
