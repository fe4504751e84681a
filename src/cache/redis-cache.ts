import { Redis } from 'ioredis';
import type { Cache } from '../ports/cache.js';

/** Shared cache for several gateway instances; keys are prefixed so one Redis can serve many. */
export async function createRedisCache(url: string, prefix = 'cbg:'): Promise<Cache> {
  // Commands issued in the same tick (the guards ask two counters at once) share one write.
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    keyPrefix: prefix,
    enableAutoPipelining: true,
  });
  await redis.connect();
  return {
    async hit(key, windowSeconds) {
      // INCR and the first EXPIRE in one round trip; NX keeps the window fixed from the first hit.
      const [[, count] = []] = (await redis.multi().incr(key).expire(key, windowSeconds, 'NX').exec()) ?? [];
      return Number(count);
    },
    async count(key) {
      return Number((await redis.get(key)) ?? 0);
    },
    async close() {
      await redis.quit();
    },
  };
}
