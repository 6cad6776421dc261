import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, type AppConfig } from './config';

export const LOGGER = Symbol('LOGGER');

/** Makes the validated config and the process logger injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
      ],
      exports: [CONFIG, LOGGER],
    };
  }
}
