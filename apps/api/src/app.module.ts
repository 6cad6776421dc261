import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Logger } from 'pino';
import { ConfigModule, eventLogOptions, persistenceOptions, queueOptions, type AppConfig } from '@corridor/config';
import { PersistenceModule, REDIS_CLIENT } from '@corridor/persistence';
import { QueueModule } from '@corridor/queue';
import { RealtimePublisherModule } from '@corridor/realtime';
import { AlertsModule } from './alerts/alerts.module';
import { AlertingModule } from './alerting/alerting.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { HttpErrorFilter } from './common/http-error.filter';
import { CommunitiesModule } from './communities/communities.module';
import { DeadlinesModule } from './deadlines/deadlines.module';
import { DisclosureModule } from './disclosure/disclosure.module';
import { HealthModule } from './health/health.module';
import { IncidentsModule } from './incidents/incidents.module';
import { IndicatorsModule } from './indicators/indicators.module';
import { OnCallModule } from './oncall/oncall.module';
import { OrganizationsModule } from './organizations/organizations.module';
import { RealtimeModule } from './realtime/realtime.module';
import { RoomsModule } from './realtime/rooms.module';
import { TaxiiModule } from './taxii/taxii.module';
import { UsersModule } from './users/users.module';
import { WatchlistModule } from './watchlist/watchlist.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { TaxiiFeedsModule } from './taxii-feeds/taxii-feeds.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, logger),
        PersistenceModule.forRoot(persistenceOptions(config)),
        QueueModule.forRoot(queueOptions(config)),
        RealtimePublisherModule.forRoot({ ...eventLogOptions(config), redisClient: REDIS_CLIENT }),
        RoomsModule,
        AuditModule,
        AlertsModule,
        AlertingModule,
        AuthModule,
        RealtimeModule,
        HealthModule,
        IndicatorsModule,
        IncidentsModule,
        OrganizationsModule,
        UsersModule,
        CommunitiesModule,
        DisclosureModule,
        WatchlistModule,
        WebhooksModule,
        TaxiiFeedsModule,
        OnCallModule,
        DeadlinesModule,
        TaxiiModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    };
  }
}
