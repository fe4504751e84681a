import { Redis } from 'ioredis';
import { windowKey, type Cache } from '../ports/cache.js';

/** Counts one more unless the window is full; one script, so no other client comes in between. */
const TAKE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
if n > tonumber(ARGV[2]) then
  redis.call('DECR', KEYS[1])
  return 0
end
return 1`;

/** One less, only while the window's key lives (never a counter without its expiry). */
const GIVE_BACK = `
if redis.call('GET', KEYS[1]) and tonumber(redis.call('GET', KEYS[1])) > 0 then
  redis.call('DECR', KEYS[1])
end
return 1`;

/** Shared cache for several gateway instances; keys are prefixed so one Redis can serve many. */
export async function createRedisCache(url: string, prefix = 'cbg:'): Promise<Cache> {
  // Commands issued in the same tick (the guards ask two counters at once) share one write.
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    keyPrefix: prefix,
    enableAutoPipelining: true,
  });
  redis.defineCommand('takeSlot', { numberOfKeys: 1, lua: TAKE });
  redis.defineCommand('giveSlotBack', { numberOfKeys: 1, lua: GIVE_BACK });
  const scripts = redis as Redis & {
    takeSlot(key: string, windowSeconds: number, limit: number): Promise<number>;
    giveSlotBack(key: string): Promise<number>;
  };
  await redis.connect();
  // Subscribing takes a connection of its own; made on the first subscription.
  let subscriber: Redis | undefined;
  const listeners = new Map<string, Array<(message: string | undefined) => void>>();
  const hear = (channel: string, message: string | undefined) => {
    for (const listener of listeners.get(channel) ?? []) listener(message);
  };
  const subscriberConnection = async () => {
    if (subscriber) return subscriber;
    subscriber = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
    subscriber.on('message', (channel: string, message: string) => hear(channel.slice(prefix.length), message));
    // ioredis subscribes again after a reconnect; what was published meanwhile is lost, so say so.
    let connectedOnce = false;
    subscriber.on('ready', () => {
      if (connectedOnce) for (const channel of listeners.keys()) hear(channel, undefined);
      connectedOnce = true;
    });
    await subscriber.connect();
    return subscriber;
  };
  return {
    async hit(key, windowSeconds) {
      // INCR and the first EXPIRE in one round trip; NX keeps the window fixed from the first hit.
      const [[, count] = []] = (await redis.multi().incr(key).expire(key, windowSeconds, 'NX').exec()) ?? [];
      return Number(count);
    },
    async take(key, windowSeconds, limit) {
      const slot = windowKey(key, windowSeconds, Date.now());
      return (await scripts.takeSlot(slot, windowSeconds, limit)) === 1 ? { key: slot } : undefined;
    },
    async giveBack(slot) {
      await scripts.giveSlotBack(slot.key);
    },
    async count(key) {
      return Number((await redis.get(key)) ?? 0);
    },
    async publish(channel, message) {
      await redis.publish(prefix + channel, message);
    },
    async subscribe(channel, listener) {
      const connection = await subscriberConnection();
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
      await connection.subscribe(prefix + channel);
    },
    async close() {
      await Promise.all([redis.quit(), subscriber?.quit()]);
    },
  };
}
