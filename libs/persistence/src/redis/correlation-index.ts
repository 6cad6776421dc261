import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { decodeIndexEntry, encodeIndexEntry, type IndexEntry } from '@corridor/domain';
import { PERSISTENCE_OPTIONS, REDIS_CLIENT, type PersistenceOptions } from '../tokens';
import { releaseLock, tryLock } from './redis-lock';

/**
 * Adds one incident to the sets of the given keys and returns, per key, the set's size and the
 * members that were there before, in one atomic step: of two incidents indexed at the same time
 * exactly one sees the other, and a retried call adds nothing twice. A set larger than the fan-out
 * cap returns its size only.
 */
const INDEX_AND_LOOKUP = `
local cap = tonumber(ARGV[2])
local out = {}
for i, key in ipairs(KEYS) do
  local size = redis.call('SCARD', key)
  local reply = { tostring(size) }
  if size <= cap then
    for _, member in ipairs(redis.call('SMEMBERS', key)) do reply[#reply + 1] = member end
  end
  redis.call('SADD', key, ARGV[1])
  out[i] = reply
end
return out
`;

export interface KeyMatches {
  key: string;
  /** Incidents that carried the key before this one (including this one on a retry). */
  entries: IndexEntry[];
  /** More incidents carry the key than the fan-out cap allows correlating pairwise. */
  hot: boolean;
}

export interface IndexSource {
  id: string;
  orgId: string;
  keys: string[];
}

/**
 * The correlation index: for each canonical value, the incidents that carry it. Lives in Redis so
 * correlating never scans the store; rebuildable from the store at any time.
 */
@Injectable()
export class CorrelationIndex {
  private readonly valuePrefix: string;
  private readonly readyKey: string;
  private readonly lockKey: string;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(PERSISTENCE_OPTIONS) private readonly options: PersistenceOptions,
  ) {
    this.valuePrefix = `${options.redisPrefix}:cx:v:`;
    this.readyKey = `${options.redisPrefix}:cx:ready`;
    this.lockKey = `${options.redisPrefix}:cx:lock`;
  }

  async indexAndLookup(entry: IndexEntry, keys: readonly string[]): Promise<KeyMatches[]> {
    if (keys.length === 0) return [];
    const redisKeys = keys.map((key) => this.valuePrefix + key);
    const replies = (await this.redis.eval(
      INDEX_AND_LOOKUP,
      redisKeys.length,
      ...redisKeys,
      encodeIndexEntry(entry),
      String(this.options.correlationFanoutCap),
    )) as string[][];
    return keys.map((key, i) => {
      const [size, ...members] = replies[i] ?? ['0'];
      return {
        key,
        hot: Number(size) > this.options.correlationFanoutCap,
        entries: members.map(decodeIndexEntry).filter((e): e is IndexEntry => e !== undefined),
      };
    });
  }

  /** The incidents carrying one key, without adding anything (search). */
  async entriesOf(key: string): Promise<IndexEntry[]> {
    const members = await this.redis.smembers(this.valuePrefix + key);
    return members.map(decodeIndexEntry).filter((e): e is IndexEntry => e !== undefined);
  }

  async isReady(): Promise<boolean> {
    return (await this.redis.exists(this.readyKey)) === 1;
  }

  /**
   * Makes sure the index exists: when Redis lost it (restarted empty), one process rebuilds it from
   * the store while the others wait for the ready mark.
   */
  async ensureReady(source: () => AsyncIterable<IndexSource>, waitMs = 60_000): Promise<'ready' | 'rebuilt'> {
    if (await this.isReady()) return 'ready';
    if (await this.withLock(() => this.fill(source))) return 'rebuilt';
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (await this.isReady()) return 'ready';
    }
    throw new Error('the correlation index is being rebuilt by another process; retry later');
  }

  /** Drops the whole index and rebuilds it from the store; returns how many incidents it indexed. */
  async rebuild(source: () => AsyncIterable<IndexSource>): Promise<number> {
    let count = -1;
    const locked = await this.withLock(async () => {
      await this.redis.del(this.readyKey);
      await this.clear();
      count = await this.fill(source);
    });
    if (!locked) throw new Error('another process is rebuilding the correlation index');
    return count;
  }

  private async withLock(work: () => Promise<unknown>): Promise<boolean> {
    const token = await tryLock(this.redis, this.lockKey, 10 * 60_000);
    if (!token) return false;
    try {
      await work();
      return true;
    } finally {
      await releaseLock(this.redis, this.lockKey, token);
    }
  }

  private async fill(source: () => AsyncIterable<IndexSource>): Promise<number> {
    let count = 0;
    let pipeline = this.redis.pipeline();
    for await (const incident of source()) {
      const member = encodeIndexEntry({ incidentId: incident.id, orgId: incident.orgId });
      for (const key of incident.keys) pipeline.sadd(this.valuePrefix + key, member);
      count++;
      if (pipeline.length >= 5000) {
        await pipeline.exec();
        pipeline = this.redis.pipeline();
      }
    }
    await pipeline.exec();
    await this.redis.set(this.readyKey, new Date().toISOString());
    return count;
  }

  private async clear(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.valuePrefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await this.redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
}
