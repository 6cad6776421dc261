import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { PERSISTENCE_OPTIONS, REDIS_CLIENT, type PersistenceOptions } from '../tokens';

/**
 * Reserves `count` consecutive values after max(now µs, last + 1) and returns the first; nil when the
 * key is missing (the caller rebuilds it from the store first). Redis' own clock, so every api and
 * worker instance agrees; '%.0f' keeps 16-digit integers out of Lua's exponent notation.
 */
const ALLOCATE = `
local last = redis.call('GET', KEYS[1])
if not last then return nil end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local first = math.max(now, tonumber(last) + 1)
redis.call('SET', KEYS[1], string.format('%.0f', first + tonumber(ARGV[1]) - 1))
return string.format('%.0f', first)
`;

/**
 * TAXII `date_added` values, strictly increasing per collection (integer microseconds since the
 * epoch), allocated atomically in Redis so that concurrent writers on any instance never share one.
 * Redis holds only the last value handed out: when the key is gone (Redis emptied or restarted
 * without persistence) it is set again from the store's largest `date_added` before allocating.
 */
@Injectable()
export class TaxiiDateAdded {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(PERSISTENCE_OPTIONS) private readonly options: PersistenceOptions,
  ) {}

  /**
   * The first of `count` consecutive values (µs) for `collectionId`. `storedMax` reads the largest
   * `date_added` the store holds for the collection (0 when none).
   */
  async allocate(collectionId: string, count: number, storedMax: () => Promise<number>): Promise<number> {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`cannot allocate ${count} date_added values`);
    const key = `${this.options.redisPrefix}:taxii:date-added:${collectionId}`;
    for (let attempt = 0; attempt < 3; attempt++) {
      const first = (await this.redis.eval(ALLOCATE, 1, key, String(count))) as string | null;
      if (first !== null) return Number(first);
      await this.redis.set(key, String(await storedMax()), 'NX');
    }
    throw new Error(`could not allocate date_added for collection ${collectionId}`);
  }
}
