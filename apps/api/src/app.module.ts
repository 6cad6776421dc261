import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Logger } from 'pino';
import { ConfigModule, persistenceOptions, queueOptions, type AppConfig } from '@corridor/config';
import { PersistenceModule, REDIS_CLIENT } from '@corridor/persistence';
import { QueueModule } from '@corridor/queue';
import { RealtimePublisherModule } from '@corridor/realtime';
import { HttpErrorFilter } from './common/http-error.filter';
import { HealthModule } from './health/health.module';
import { IncidentsModule } from './incidents/incidents.module';
import { RealtimeModule } from './realtime/realtime.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, logger),
        PersistenceModule.forRoot(persistenceOptions(config)),
        QueueModule.forRoot(queueOptions(config)),
        RealtimePublisherModule.forRoot({ redisPrefix: config.REDIS_PREFIX, redisClient: REDIS_CLIENT }),
        HealthModule,
        IncidentsModule,
        RealtimeModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    };
  }
}
