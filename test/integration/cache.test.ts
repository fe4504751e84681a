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

  it.skipIf(!available)('lets at most the limit of concurrent takers in, and a slot given back in again', async () => {
    const cache = await make();
    try {
      const taken = await Promise.all(Array.from({ length: 50 }, () => cache.take('slots', 60, 10)));
      const slots = taken.filter((s) => s !== undefined);
      expect(slots).toHaveLength(10);
      expect(await cache.take('slots', 60, 10)).toBeUndefined();
      await cache.giveBack(slots[0] ?? { key: '', window: '' });
      expect(await cache.take('slots', 60, 10)).toBeDefined();
      expect(await cache.take('slots', 60, 10)).toBeUndefined();
    } finally {
      await cache.close();
    }
  });

  it.skipIf(!available)('keeps a window open for its length from the first take, across clock boundaries', async () => {
    const cache = await make();
    try {
      // Just before a clock second ends: a window aligned to the clock would reset in 100 ms.
      await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) - 100));
      expect(await cache.take('burst', 1, 1)).toBeDefined();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await cache.take('burst', 1, 1)).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(await cache.take('burst', 1, 1)).toBeDefined();
    } finally {
      await cache.close();
    }
  });

  it.skipIf(!available)("gives back only into the window a slot was taken in, never a later one's", async () => {
    const cache = await make();
    try {
      const old = await cache.take('windowed', 1, 1);
      expect(old).toBeDefined();
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const fresh = await cache.take('windowed', 1, 1);
      expect(fresh).toBeDefined();
      await cache.giveBack(old ?? { key: '', window: '' });
      expect(await cache.take('windowed', 1, 1)).toBeUndefined();
    } finally {
      await cache.close();
    }
  });
});

describe.skipIf(!redisUrl)('news between instances (Redis publish and subscribe)', () => {
  it('reaches every instance that shares the prefix, and none that does not', async () => {
    const prefix = `cbg-test-${randomBytes(4).toString('hex')}:`;
    const [a, b, stranger] = await Promise.all([
      createRedisCache(redisUrl ?? '', prefix),
      createRedisCache(redisUrl ?? '', prefix),
      createRedisCache(redisUrl ?? '', `${prefix}other:`),
    ]);
    try {
      const heard: Record<string, Array<string | undefined>> = { a: [], b: [], stranger: [] };
      await a.subscribe('merchant-changed', (m) => heard.a?.push(m));
      await b.subscribe('merchant-changed', (m) => heard.b?.push(m));
      await stranger.subscribe('merchant-changed', (m) => heard.stranger?.push(m));
      await a.publish('merchant-changed', 'mer_1');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(heard).toEqual({ a: ['mer_1'], b: ['mer_1'], stranger: [] });
    } finally {
      await Promise.all([a.close(), b.close(), stranger.close()]);
    }
  });
});
