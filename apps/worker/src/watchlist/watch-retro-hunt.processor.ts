import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, type AppConfig } from '@corridor/config';
import { JobWorker, type JobHandler, type JobPayloads } from '@corridor/queue';
import { WatchlistMatcher } from './watchlist-matcher.service';

/** Thin handler of `watch-retro-hunt`: the job map checks the payload, the matcher does the work. */
@Injectable()
export class WatchRetroHuntProcessor
  implements JobHandler<'watch-retro-hunt'>, OnApplicationBootstrap, OnApplicationShutdown
{
  readonly job = 'watch-retro-hunt' as const;
  private worker?: JobWorker<'watch-retro-hunt'>;

  constructor(
    private readonly matcher: WatchlistMatcher,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = new JobWorker(this, {
      redisUrl: this.config.REDIS_URL,
      redisPrefix: this.config.REDIS_PREFIX,
      // One batch at a time: retro-hunts never take more than one slot from incident processing.
      concurrency: 1,
      logger: this.logger,
    });
  }

  async handle(payload: JobPayloads['watch-retro-hunt']): Promise<void> {
    await this.matcher.retroHunt(payload.watchIds);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}
