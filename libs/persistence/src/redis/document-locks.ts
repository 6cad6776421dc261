import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { DomainError } from '@corridor/domain';
import { PERSISTENCE_OPTIONS, REDIS_CLIENT, type PersistenceOptions } from '../tokens';
import { releaseLock, tryLock } from './redis-lock';

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
    const deadline = Date.now() + WAIT_MS;
    let token: string | undefined;
    while (!(token = await tryLock(this.redis, key, HOLD_MS))) {
      if (Date.now() > deadline)
        throw new DomainError('unavailable', 'the record is being changed; retry shortly', { retryAfterSeconds: 1 });
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
    }
    try {
      return await work();
    } finally {
      await releaseLock(this.redis, key, token).catch(() => undefined); // expires by itself otherwise
    }
  }
}
