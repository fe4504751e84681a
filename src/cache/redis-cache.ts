import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Cache } from '../ports/cache.js';

// Deletes the lock only if it still holds our token, so an expired lock taken over by another
// instance is never released by us.
const UNLOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** Shared cache for several gateway instances; keys are prefixed so one Redis can serve many. */
export async function createRedisCache(url: string, prefix = 'cbg:'): Promise<Cache> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, keyPrefix: prefix });
  await redis.connect();
  return {
    async hit(key, windowSeconds) {
      const [[, count] = []] = (await redis.multi().incr(key).expire(key, windowSeconds, 'NX').exec()) ?? [];
      return Number(count);
    },
    async tryLock(key, ttlMs) {
      const token = randomUUID();
      return (await redis.set(key, token, 'PX', ttlMs, 'NX')) === 'OK' ? token : undefined;
    },
    async unlock(key, token) {
      await redis.eval(UNLOCK, 1, key, token);
    },
    async close() {
      await redis.quit();
    },
  };
}
