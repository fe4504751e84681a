import { Redis, type RedisOptions } from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { Cache } from '../ports/cache.js';
import { createMemoryCache } from './memory-cache.js';

/**
 * Takes a slot of the key's window unless it is full, opening the window (a hash of its id `w`
 * and count `n`, expiring with it) when none is open; one script, so no other client comes in
 * between. Answers the window's id, or nil when full.
 */
const TAKE = `
local w = redis.call('HGET', KEYS[1], 'w')
if not w then
  w = ARGV[3]
  redis.call('HSET', KEYS[1], 'w', w, 'n', 0)
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
if tonumber(redis.call('HGET', KEYS[1], 'n')) >= tonumber(ARGV[2]) then return false end
redis.call('HINCRBY', KEYS[1], 'n', 1)
return w`;

/** One slot back, only into the window it was taken from (which may have expired meanwhile). */
const GIVE_BACK = `
if redis.call('HGET', KEYS[1], 'w') == ARGV[1] and tonumber(redis.call('HGET', KEYS[1], 'n')) > 0 then
  redis.call('HINCRBY', KEYS[1], 'n', -1)
end
return 1`;

/**
 * A Redis server by URL, or the primary that Redis Sentinel names (followed across its
 * failovers); then `credentials`, a redis:// or rediss:// URL whose host is not used, gives the
 * user, password and TLS for the primary and replicas.
 */
export type RedisTarget =
  string | { sentinels: Array<{ host: string; port: number }>; name: string; credentials?: string };

function connectTo(target: RedisTarget, options: RedisOptions): Redis {
  if (typeof target === 'string') return new Redis(target, options);
  const sentinel: RedisOptions = {
    ...options,
    sentinels: target.sentinels,
    name: target.name,
    // No failoverDetector: its subscriptions to every sentinel, set up again on each reconnection,
    // left one instance in the fault test without a ready connection for good. A dead primary
    // closes the connection anyway, and each reconnection asks the sentinels where the primary is.
    enableTLSForSentinelMode: target.credentials?.startsWith('rediss://') ?? false,
  };
  return target.credentials ? new Redis(target.credentials, sentinel) : new Redis(sentinel);
}

/** While Redis is away, each instance allows this share of a limit on its own (fail-safe, not open). */
export const LOCAL_LIMIT_DIVISOR = 3;

/**
 * Shared cache for several gateway instances; keys are prefixed so one Redis can serve many.
 *
 * Money never depends on it, so an outage must not stop payments: while Redis does not answer,
 * every counter falls back to an in-process one at a third of the limit (several instances then
 * allow about what the shared limit did, never a multiple of it), `degraded()` says so, and the
 * shared counters are used again as soon as Redis is back. Commands fail at once while the
 * connection is down (no offline queue) or after a second without an answer.
 */
export async function createRedisCache(target: RedisTarget, prefix = 'cbg:'): Promise<Cache> {
  // Commands issued in the same tick (the guards ask two counters at once) share one write.
  const redis = connectTo(target, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: 1_000,
    keyPrefix: prefix,
    enableAutoPipelining: true,
  });
  redis.on('error', () => undefined);
  redis.defineCommand('takeSlot', { numberOfKeys: 1, lua: TAKE });
  redis.defineCommand('giveSlotBack', { numberOfKeys: 1, lua: GIVE_BACK });
  const scripts = redis as Redis & {
    takeSlot(key: string, windowMs: number, limit: number, windowId: string): Promise<string | null>;
    giveSlotBack(key: string, windowId: string): Promise<number>;
  };
  // A gateway starts even while Redis is away; ioredis keeps reconnecting.
  await redis.connect().catch(() => undefined);

  const local = createMemoryCache();
  /** The shared counter's answer, or the in-process one's while Redis does not give one. */
  const up = () => redis.status === 'ready';
  const either = async <T>(shared: () => Promise<T>, fallback: () => Promise<T>): Promise<T> => {
    if (!up()) return fallback();
    try {
      return await shared();
    } catch (error) {
      if (!up() || isUnanswered(error)) return fallback();
      throw error;
    }
  };

  // Subscribing takes a connection of its own; made on the first subscription.
  let subscriber: Redis | undefined;
  const listeners = new Map<string, Array<(message: string | undefined) => void>>();
  const hear = (channel: string, message: string | undefined) => {
    for (const listener of listeners.get(channel) ?? []) listener(message);
  };
  const subscriberConnection = async () => {
    if (subscriber) return subscriber;
    subscriber = connectTo(target, { lazyConnect: true, maxRetriesPerRequest: null });
    subscriber.on('error', () => undefined);
    subscriber.on('message', (channel: string, message: string) => hear(channel.slice(prefix.length), message));
    // ioredis subscribes again after a reconnect; what was published meanwhile is lost, so say so.
    let connectedOnce = false;
    subscriber.on('ready', () => {
      if (connectedOnce) for (const channel of listeners.keys()) hear(channel, undefined);
      connectedOnce = true;
    });
    await subscriber.connect().catch(() => undefined);
    return subscriber;
  };
  return {
    hit: (key, windowSeconds) =>
      either(
        async () => {
          // INCR and the first EXPIRE in one round trip; NX keeps the window fixed from the first hit.
          const [[, count] = []] = (await redis.multi().incr(key).expire(key, windowSeconds, 'NX').exec()) ?? [];
          return Number(count);
        },
        () => local.hit(key, windowSeconds),
      ),
    take: (key, windowSeconds, limit) =>
      either(
        async () => {
          const slotsKey = `slots:${key}`;
          const window = await scripts.takeSlot(slotsKey, windowSeconds * 1000, limit, randomBytes(6).toString('hex'));
          return window === null ? undefined : { key: slotsKey, window };
        },
        async () => {
          const slot = await local.take(key, windowSeconds, Math.max(1, Math.floor(limit / LOCAL_LIMIT_DIVISOR)));
          return slot && { ...slot, local: true };
        },
      ),
    async giveBack(slot) {
      if (slot.local) await local.giveBack(slot);
      else
        await either(
          () => scripts.giveSlotBack(slot.key, slot.window),
          async () => 0,
        );
    },
    count: (key) =>
      either(
        async () => Number((await redis.get(key)) ?? 0),
        () => local.count(key),
      ),
    degraded: () => !up(),
    async publish(channel, message) {
      await redis.publish(prefix + channel, message);
    },
    async subscribe(channel, listener) {
      const connection = await subscriberConnection();
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
      // Queued while Redis is away; the reconnect's `ready` tells the listener it may have missed news.
      connection.subscribe(prefix + channel).catch(() => undefined);
    },
    async close() {
      await local.close();
      await Promise.all([redis.quit().catch(() => undefined), subscriber?.quit().catch(() => undefined)]);
    },
  };
}

/** ioredis's ways of saying the command got no answer (as opposed to Redis refusing it). */
function isUnanswered(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /Connection is closed|max retries per request|Command timed out|Stream isn't writeable|ECONNREFUSED|ECONNRESET/i.test(
    message,
  );
}
