import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../src/cache/memory-cache.js';
import { createRedisCache } from '../../src/cache/redis-cache.js';
import type { Cache } from '../../src/ports/cache.js';

const redisUrl = process.env.REDIS_URL;
const caches: Array<[string, () => Promise<Cache>, boolean]> = [
  ['in-process', async () => createMemoryCache(), true],
  [
    'Redis',
    async () => createRedisCache(redisUrl ?? '', `cbg-test-${randomBytes(4).toString('hex')}:`),
    Boolean(redisUrl),
  ],
];

describe.each(caches)('%s cache', (_name, make, available) => {
  it.skipIf(!available)('counts hits in a fixed window that starts at the first hit and then resets', async () => {
    const cache = await make();
    try {
      expect(await cache.hit('k', 1)).toBe(1);
      expect(await cache.hit('k', 1)).toBe(2);
      expect(await cache.hit('other', 1)).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await cache.hit('k', 1)).toBe(1);
    } finally {
      await cache.close();
    }
  });
});
