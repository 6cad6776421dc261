import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type IRateLimiterStoreOptions,
} from 'rate-limiter-flexible';
import type Redis from 'ioredis';
import { DomainError } from '@corridor/domain';

/**
 * Per-key request budget and login back-off, kept in Redis so every api instance shares them. While
 * Redis is unreachable each limiter falls back to an in-memory one of the same shape (per instance),
 * so partners can still submit and guessing is still slowed.
 */
export class RateLimits {
  readonly perKey: RateLimiterRedis;
  /** Failures per (email, client address): locks that pair out. */
  readonly loginPair: RateLimiterRedis;
  /** Failures per email from anywhere: a looser lock against distributed guessing. */
  readonly loginEmail: RateLimiterRedis;
  /** Refused account setup tokens per client address: locks that address out of setup. */
  readonly setupAddress: RateLimiterRedis;

  constructor(
    redis: Redis,
    prefix: string,
    limits: { perMinute: number; maxFailures: number; lockoutSeconds: number },
  ) {
    const limiter = (options: Omit<IRateLimiterStoreOptions, 'storeClient'>) =>
      new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) });
    this.perKey = limiter({ keyPrefix: `${prefix}:rl:key`, points: limits.perMinute, duration: 60 });
    const lock = { duration: limits.lockoutSeconds, blockDuration: limits.lockoutSeconds };
    this.loginPair = limiter({ keyPrefix: `${prefix}:rl:login`, points: limits.maxFailures, ...lock });
    this.loginEmail = limiter({ keyPrefix: `${prefix}:rl:login-email`, points: limits.maxFailures * 4, ...lock });
    this.setupAddress = limiter({ keyPrefix: `${prefix}:rl:setup`, points: limits.maxFailures, ...lock });
  }
}

export const RATE_LIMITS = Symbol('RATE_LIMITS');

/** A limiter refusal becomes 429 with Retry-After; a Redis failure propagates (503). */
export function rateLimited(error: unknown, what: string): never {
  if (error instanceof RateLimiterRes) {
    throw new DomainError('rate_limited', `${what}; retry later`, {
      retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)),
    });
  }
  throw error;
}
