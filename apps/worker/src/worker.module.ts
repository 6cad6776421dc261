import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConfigModule, eventLogOptions, persistenceOptions, queueOptions, type AppConfig } from '@corridor/config';
import { PersistenceModule, REDIS_CLIENT } from '@corridor/persistence';
import { QueueModule } from '@corridor/queue';
import { IntakeModule } from '@corridor/intake';
import { RealtimePublisherModule } from '@corridor/realtime';
import { AlertNotifyProcessor } from './alerting/alert-notify.processor';
import { AlertNotifier } from './alerting/alert-notifier.service';
import { AlertingService } from './alerting/alerting.service';
import { ContactAlertsProcessor } from './alerting/contact-alerts.processor';
import { EscalationProcessor } from './alerting/escalation.processor';
import { EscalationService } from './alerting/escalation.service';
import { DeadlineReminderProcessor } from './deadlines/deadline-reminder.processor';
import { DeadlineRemindersService } from './deadlines/deadline-reminders.service';
import { EnrichmentState } from './enrichment/enrichment-state';
import { EnrichmentProcessor } from './enrichment/enrichment.processor';
import { EnrichmentService } from './enrichment/enrichment.service';
import { IpFactsSource } from './enrichment/ip-facts';
import { MailModule } from './mail/mail.module';
import { RetractionProcessor } from './retraction/retraction.processor';
import { RetractionService } from './retraction/retraction.service';
import { IncidentProcessingService } from './processing/incident-processing.service';
import { IncidentProcessor } from './processing/incident.processor';
import { PendingSweeper } from './sweeper/pending-sweeper.service';
import { TaxiiPullProcessor } from './taxii/taxii-pull.processor';
import { TaxiiPullService } from './taxii/taxii-pull.service';
import { WatchRetroHuntProcessor } from './watchlist/watch-retro-hunt.processor';
import { WatchlistMatcher } from './watchlist/watchlist-matcher.service';
import { WebhookDeliveryProcessor } from './webhooks/webhook-delivery.processor';
import { WebhookDeliveryService } from './webhooks/webhook-delivery.service';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.service';
import { WebhookSweeper } from './webhooks/webhook-sweeper.service';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config, logger),
        PersistenceModule.forRoot(persistenceOptions(config)),
        QueueModule.forRoot(queueOptions(config)),
        RealtimePublisherModule.forRoot({ ...eventLogOptions(config), redisClient: REDIS_CLIENT }),
        MailModule.forRoot(config),
        IntakeModule,
      ],
      providers: [
        IncidentProcessingService,
        IncidentProcessor,
        PendingSweeper,
        { provide: IpFactsSource, useValue: new IpFactsSource() },
        EnrichmentState,
        EnrichmentService,
        EnrichmentProcessor,
        WatchlistMatcher,
        WatchRetroHuntProcessor,
        AlertingService,
        AlertNotifier,
        AlertNotifyProcessor,
        EscalationService,
        EscalationProcessor,
        ContactAlertsProcessor,
        DeadlineRemindersService,
        DeadlineReminderProcessor,
        RetractionService,
        RetractionProcessor,
        WebhookDispatcher,
        WebhookDeliveryService,
        WebhookDeliveryProcessor,
        WebhookSweeper,
        TaxiiPullService,
        TaxiiPullProcessor,
      ],
    };
  }
}
