import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConfigModule, persistenceOptions, type AppConfig } from '@corridor/config';
import { PersistenceModule } from '@corridor/persistence';
import { CommandsService } from './commands.service';
import { PeopleCommands } from './people.commands';

@Module({})
export class CliModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config, logger), PersistenceModule.forRoot(persistenceOptions(config))],
      providers: [CommandsService, PeopleCommands],
    };
  }
}
