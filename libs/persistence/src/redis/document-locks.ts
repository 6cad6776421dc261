import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { DomainError } from '@corridor/domain';
import { PERSISTENCE_OPTIONS, REDIS_CLIENT, type PersistenceOptions } from '../tokens';

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
const HOLD_MS = 15_000;
const WAIT_MS = 5_000;

/**
 * Serializes writers of one document across processes. FerretDB 1.x applies an update by reading
 * the document, changing it in memory and writing the whole document back, without a lock: two
 * concurrent updates of the same document lose one of them (a worker's state change could undo an
 * analyst's TLP change). MongoDB does not need this, and it costs one Redis round trip per write.
 */
@Injectable()
export class DocumentLocks {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(PERSISTENCE_OPTIONS) private readonly options: PersistenceOptions,
  ) {}

  async withLock<T>(collection: string, id: string, work: () => Promise<T>): Promise<T> {
    const key = `${this.options.redisPrefix}:lock:${collection}:${id}`;
    const token = randomUUID();
    const deadline = Date.now() + WAIT_MS;
    while ((await this.redis.set(key, token, 'PX', HOLD_MS, 'NX')) !== 'OK') {
      if (Date.now() > deadline)
        throw new DomainError('unavailable', 'the record is being changed; retry shortly', { retryAfterSeconds: 1 });
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
    }
    try {
      return await work();
    } finally {
      await this.redis.eval(RELEASE, 1, key, token).catch(() => undefined); // expires by itself otherwise
    }
  }
}
