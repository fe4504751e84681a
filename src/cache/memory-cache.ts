import { randomUUID } from 'node:crypto';
import type { Cache } from '../ports/cache.js';

/** The in-process equivalent of the Redis cache, for a single gateway instance. */
export function createMemoryCache(now: () => number = Date.now): Cache {
  const counters = new Map<string, { count: number; expiresAt: number }>();
  const locks = new Map<string, { token: string; expiresAt: number }>();

  const sweep = setInterval(() => {
    const t = now();
    for (const [key, entry] of counters) if (entry.expiresAt <= t) counters.delete(key);
    for (const [key, entry] of locks) if (entry.expiresAt <= t) locks.delete(key);
  }, 60_000);
  sweep.unref();

  return {
    async hit(key, windowSeconds) {
      const t = now();
      const entry = counters.get(key);
      if (!entry || entry.expiresAt <= t) {
        counters.set(key, { count: 1, expiresAt: t + windowSeconds * 1000 });
        return 1;
      }
      entry.count += 1;
      return entry.count;
    },
    async tryLock(key, ttlMs) {
      const t = now();
      const held = locks.get(key);
      if (held && held.expiresAt > t) return undefined;
      const token = randomUUID();
      locks.set(key, { token, expiresAt: t + ttlMs });
      return token;
    },
    async unlock(key, token) {
      if (locks.get(key)?.token === token) locks.delete(key);
    },
    async close() {
      clearInterval(sweep);
    },
  };
}
