import { Module, type DynamicModule, type InjectionToken } from '@nestjs/common';
import type Redis from 'ioredis';
import type { EventLogOptions } from './event-log';
import { RealtimePublisher } from './realtime.publisher';

/** Provides the publisher over a Redis client the application already has (given by its token). */
@Module({})
export class RealtimePublisherModule {
  static forRoot(options: EventLogOptions & { redisClient: InjectionToken }): DynamicModule {
    return {
      module: RealtimePublisherModule,
      global: true,
      providers: [
        {
          provide: RealtimePublisher,
          inject: [options.redisClient],
          useFactory: (redis: Redis) => new RealtimePublisher(redis, options),
        },
      ],
      exports: [RealtimePublisher],
    };
  }
}
