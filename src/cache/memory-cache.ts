import type { Cache } from '../ports/cache.js';

/** The in-process equivalent of the Redis cache, for a single gateway instance. */
export function createMemoryCache(now: () => number = Date.now): Cache {
  const counters = new Map<string, { count: number; expiresAt: number }>();
  const slotWindows = new Map<string, { count: number; expiresAt: number; id: string }>();
  let windowsOpened = 0;
  const listeners = new Map<string, Array<(message: string | undefined) => void>>();

  const sweep = setInterval(() => {
    const t = now();
    for (const map of [counters, slotWindows])
      for (const [key, entry] of map) if (entry.expiresAt <= t) map.delete(key);
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
      let entry = slotWindows.get(key);
      if (!entry || entry.expiresAt <= t) {
        windowsOpened += 1;
        entry = { count: 0, expiresAt: t + windowSeconds * 1000, id: String(windowsOpened) };
        slotWindows.set(key, entry);
      }
      if (entry.count >= limit) return undefined;
      entry.count += 1;
      return { key, window: entry.id };
    },
    async giveBack(slot) {
      const entry = slotWindows.get(slot.key);
      if (entry?.id === slot.window && entry.count > 0) entry.count -= 1;
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
