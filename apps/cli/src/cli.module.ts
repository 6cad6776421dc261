import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConfigModule, eventLogOptions, persistenceOptions, queueOptions, type AppConfig } from '@corridor/config';
import { PersistenceModule, REDIS_CLIENT } from '@corridor/persistence';
import { QueueModule } from '@corridor/queue';
import { RealtimePublisherModule } from '@corridor/realtime';
import { CommandsService } from './commands.service';
import { PeopleCommands } from './people.commands';

@Module({})
export class CliModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config, logger),
        PersistenceModule.forRoot(persistenceOptions(config)),
        RealtimePublisherModule.forRoot({ ...eventLogOptions(config), redisClient: REDIS_CLIENT }),
        QueueModule.forRoot(queueOptions(config)),
      ],
      providers: [CommandsService, PeopleCommands],
    };
  }
}
