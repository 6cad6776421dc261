import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, type AppConfig } from '@corridor/config';
import { alertIncidentOf } from '@corridor/domain';
import { ContactRequestsRepository, IncidentsRepository, Principals, SharingDirectory } from '@corridor/persistence';
import { JobWorker, type JobHandler, type JobPayloads } from '@corridor/queue';
import { AlertingService } from './alerting.service';

/** Thin handler of `contact-alerts`: the owner organization's rules on a contact request. */
@Injectable()
export class ContactAlertsProcessor
  implements JobHandler<'contact-alerts'>, OnApplicationBootstrap, OnApplicationShutdown
{
  readonly job = 'contact-alerts' as const;
  private worker?: JobWorker<'contact-alerts'>;

  constructor(
    private readonly contacts: ContactRequestsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly sharing: SharingDirectory,
    private readonly principals: Principals,
    private readonly alerting: AlertingService,
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

  async handle(payload: JobPayloads['contact-alerts']): Promise<void> {
    const request = await this.contacts.findById(payload.contactId);
    if (!request) return;
    const incident = await this.incidents.findById(request.ownerIncidentId);
    if (!incident) return;
    const [sharing, principals] = await Promise.all([this.sharing.context(), this.principals.of(incident)]);
    await this.alerting.raise(
      [
        {
          kind: 'contact-request',
          id: `contact:${request.id}`,
          orgId: request.ownerOrgId,
          incident: alertIncidentOf(incident),
          correlationId: request.correlationId,
        },
      ],
      sharing,
      principals,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}
