import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { PERSISTENCE_OPTIONS, REDIS_CLIENT, type PersistenceOptions } from '../tokens';

/**
 * A counter in Redis that every writer of communities, organizations or disclosure policies bumps
 * after its write, so that the cached sharing directories of all processes know to re-read.
 */
@Injectable()
export class SharingVersion {
  private readonly key: string;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(PERSISTENCE_OPTIONS) options: PersistenceOptions,
  ) {
    this.key = `${options.redisPrefix}:sharing:version`;
  }

  async current(): Promise<string> {
    return (await this.redis.get(this.key)) ?? '0';
  }

  /** Never fails the write it follows: a missed bump is healed by the next one, and logged by no one. */
  async bump(): Promise<void> {
    await this.redis.incr(this.key).catch(() => undefined);
  }
}
