import { windowKey, type Cache } from '../ports/cache.js';

/** The in-process equivalent of the Redis cache, for a single gateway instance. */
export function createMemoryCache(now: () => number = Date.now): Cache {
  const counters = new Map<string, { count: number; expiresAt: number }>();
  const listeners = new Map<string, Array<(message: string | undefined) => void>>();

  const sweep = setInterval(() => {
    const t = now();
    for (const [key, entry] of counters) if (entry.expiresAt <= t) counters.delete(key);
  }, 60_000);
  sweep.unref();

  /** The open window of a key, opening one when there is none. */
  const windowOf = (key: string, windowSeconds: number) => {
    const t = now();
    let entry = counters.get(key);
    if (!entry || entry.expiresAt <= t) {
      entry = { count: 0, expiresAt: t + windowSeconds * 1000 };
      counters.set(key, entry);
    }
    return entry;
  };

  // Each operation runs to completion without awaiting anything, so it is atomic in this process.
  return {
    async hit(key, windowSeconds) {
      const entry = windowOf(key, windowSeconds);
      entry.count += 1;
      return entry.count;
    },
    async take(key, windowSeconds, limit) {
      const t = now();
      const slot = windowKey(key, windowSeconds, t);
      let entry = counters.get(slot);
      if (!entry) {
        const windowMs = windowSeconds * 1000;
        entry = { count: 0, expiresAt: (Math.floor(t / windowMs) + 1) * windowMs };
        counters.set(slot, entry);
      }
      if (entry.count >= limit) return undefined;
      entry.count += 1;
      return { key: slot };
    },
    async giveBack(slot) {
      const entry = counters.get(slot.key);
      if (entry && entry.count > 0) entry.count -= 1;
    },
    async count(key) {
      const entry = counters.get(key);
      return entry && entry.expiresAt > now() ? entry.count : 0;
    },
    degraded: () => false,
    async publish(channel, message) {
      for (const listener of listeners.get(channel) ?? []) listener(message);
    },
    async subscribe(channel, listener) {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
    },
    async close() {
      clearInterval(sweep);
    },
  };
}
