import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import {
  CLOSED_BREAKER,
  afterFailure,
  afterSuccess,
  breakerWaitMs,
  type BreakerSettings,
  type BreakerState,
  type ProviderResult,
} from '@corridor/domain';
import { PERSISTENCE_OPTIONS, REDIS_CLIENT, type PersistenceOptions } from '@corridor/persistence';

/**
 * What the worker keeps in Redis about external providers: each provider's cached answers (by
 * provider and canonical indicator key, for the provider's TTL) and its circuit breaker. A breaker
 * update reads and writes one key; two failures recorded at the same instant by two workers may
 * count as one, which only delays opening by one failure.
 */
@Injectable()
export class EnrichmentState {
  private readonly base: string;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(PERSISTENCE_OPTIONS) options: PersistenceOptions,
  ) {
    this.base = `${options.redisPrefix}:enrich`;
  }

  private cacheKey(provider: string, key: string): string {
    return `${this.base}:cache:${provider}:${createHash('sha256').update(key).digest('hex')}`;
  }

  private breakerKey(provider: string): string {
    return `${this.base}:breaker:${provider}`;
  }

  /** The provider's cached answer on `key` (`type:value`), if still within its TTL. */
  async cached(provider: string, key: string): Promise<ProviderResult | undefined> {
    const raw = await this.redis.get(this.cacheKey(provider, key));
    return raw === null ? undefined : (JSON.parse(raw) as ProviderResult);
  }

  async cache(provider: string, key: string, result: ProviderResult, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.cacheKey(provider, key), JSON.stringify(result), 'EX', ttlSeconds);
  }

  async breaker(provider: string): Promise<BreakerState> {
    const raw = await this.redis.get(this.breakerKey(provider));
    return raw === null ? CLOSED_BREAKER : (JSON.parse(raw) as BreakerState);
  }

  /** Milliseconds until the provider's breaker lets a request through (0: now). */
  async waitMs(provider: string, settings: BreakerSettings, now: number): Promise<number> {
    return breakerWaitMs(await this.breaker(provider), settings, now);
  }

  async recordSuccess(provider: string): Promise<void> {
    const state = afterSuccess();
    await this.redis.set(this.breakerKey(provider), JSON.stringify(state));
  }

  /** Returns the breaker after the failure (open when `openedAt` is `now`). */
  async recordFailure(provider: string, settings: BreakerSettings, now: number): Promise<BreakerState> {
    const state = afterFailure(await this.breaker(provider), settings, now);
    await this.redis.set(this.breakerKey(provider), JSON.stringify(state));
    return state;
  }
}
