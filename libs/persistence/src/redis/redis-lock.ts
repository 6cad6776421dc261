import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * A Redis lock held for at most `holdMs`: returns the holder's token, or undefined when someone
 * else holds it. Release with the token, so a lock that expired and was taken over is not freed.
 */
export async function tryLock(redis: Redis, key: string, holdMs: number): Promise<string | undefined> {
  const token = randomUUID();
  return (await redis.set(key, token, 'PX', holdMs, 'NX')) === 'OK' ? token : undefined;
}

export async function releaseLock(redis: Redis, key: string, token: string): Promise<void> {
  await redis.eval(RELEASE, 1, key, token);
}
