import type { Cache } from '../ports/cache.js';

/** The in-process equivalent of the Redis cache, for a single gateway instance. */
export function createMemoryCache(now: () => number = Date.now): Cache {
  const counters = new Map<string, { count: number; expiresAt: number }>();

  const sweep = setInterval(() => {
    const t = now();
    for (const [key, entry] of counters) if (entry.expiresAt <= t) counters.delete(key);
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
    async count(key) {
      const entry = counters.get(key);
      return entry && entry.expiresAt > now() ? entry.count : 0;
    },
    async close() {
      clearInterval(sweep);
    },
  };
}
