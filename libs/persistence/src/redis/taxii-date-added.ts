import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { PERSISTENCE_OPTIONS, REDIS_CLIENT, type PersistenceOptions } from '../tokens';

/**
 * Reserves `count` entries: `date_added` values after max(now µs, last + 1), consecutive, and the
 * next `count` sequence numbers; returns the first of each, or nil when the key is missing (the
 * caller rebuilds it from the store first). Redis' own clock, so every api and worker instance
 * agrees; '%.0f' keeps 16-digit integers out of Lua's exponent notation.
 */
const ALLOCATE = `
local last = redis.call('HGET', KEYS[1], 'last')
if not last then return nil end
local seq = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
local count = tonumber(ARGV[1])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local first = math.max(now, tonumber(last) + 1)
redis.call('HSET', KEYS[1], 'last', string.format('%.0f', first + count - 1), 'seq', string.format('%.0f', seq + count))
return { string.format('%.0f', first), string.format('%.0f', seq + 1) }
`;

const REBUILD = `
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('HSET', KEYS[1], 'last', ARGV[1], 'seq', ARGV[2]) end
return 1
`;

/** The largest `date_added` (µs) and sequence number a collection holds (0 and 0 when empty). */
export interface TaxiiClockState {
  dateAdded: number;
  seq: number;
}

/**
 * TAXII `date_added` values, strictly increasing per collection (integer microseconds since the
 * epoch), allocated atomically in Redis so that concurrent writers on any instance never share one,
 * with a gapless-per-allocation sequence number in the same order (the store pages by its buckets).
 * Redis holds only the last values handed out: when the key is gone (Redis emptied or restarted
 * without persistence) it is set again from the store's largest values before allocating.
 */
@Injectable()
export class TaxiiDateAdded {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(PERSISTENCE_OPTIONS) private readonly options: PersistenceOptions,
  ) {}

  /** The first `date_added` (µs) and sequence number of `count` new entries of `collectionId`. */
  async allocate(
    collectionId: string,
    count: number,
    stored: () => Promise<TaxiiClockState>,
  ): Promise<TaxiiClockState> {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`cannot allocate ${count} date_added values`);
    const key = `${this.options.redisPrefix}:taxii:clock:${collectionId}`;
    for (let attempt = 0; attempt < 3; attempt++) {
      const reply = (await this.redis.eval(ALLOCATE, 1, key, String(count))) as [string, string] | null;
      if (reply !== null) return { dateAdded: Number(reply[0]), seq: Number(reply[1]) };
      const state = await stored();
      await this.redis.eval(REBUILD, 1, key, String(state.dateAdded), String(state.seq));
    }
    throw new Error(`could not allocate date_added for collection ${collectionId}`);
  }
}
