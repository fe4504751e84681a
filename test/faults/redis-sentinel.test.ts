import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisSentinel } from '../helpers/private-redis-sentinel.js';
import { sleep } from '../helpers/wait.js';
import { countsLine, NO_HARM, startFaultHarness, type FaultHarness } from './harness.js';

/**
 * Issue 14, part 3: Redis behind Sentinel (REDIS_SENTINELS, REDIS_MASTER_NAME). The primary is
 * killed under load on two instances; the sentinels promote the replica; the gateways keep taking
 * payments on local limits meanwhile and share limits again on the new primary by themselves.
 */
let sentinel: Awaited<ReturnType<typeof startRedisSentinel>> | undefined;
let harness: FaultHarness | undefined;
beforeAll(async () => {
  sentinel = await startRedisSentinel();
  harness = await startFaultHarness({ instances: 2, redis: false, redisEnv: sentinel.env, name: 'redis-sentinel' });
}, 120_000);
afterAll(async () => {
  await harness?.stop();
  await sentinel?.stop();
}, 60_000);

describe('Redis Sentinel failover under load', () => {
  it('follows the promoted replica and shares limits again, never answering 500', async () => {
    const h = harness;
    const s = sentinel;
    if (!h || !s) throw new Error('no harness');
    const urls = h.gateways.map((g) => g.url);
    for (const url of urls) expect(await h.limits(url)).toBe('shared');
    let promotedAfter = 0;
    let sharedAgainAfter = 0;
    const fault = (async () => {
      await sleep(2_000);
      const old = await s.primaryPort();
      const started = Date.now();
      await s.crashPrimary();
      while ((await s.primaryPort()) === old) {
        if (Date.now() - started > 30_000) throw new Error('the sentinels promoted no replica within 30 s');
        await sleep(200);
      }
      promotedAfter = (Date.now() - started) / 1000;
      for (let i = 0; i < 100; i++) {
        const views = await Promise.all(urls.map((url) => h.limits(url)));
        if (views.every((v) => v === 'shared')) break;
        await sleep(200);
      }
      sharedAgainAfter = (Date.now() - started) / 1000;
      await sleep(2_000);
    })();
    await h.load(6, fault);
    await fault;
    for (const url of urls) expect(await h.limits(url)).toBe('shared');
    const counts = await h.audit();
    console.log(
      countsLine('Redis Sentinel failover', counts),
      `; replica promoted after ${promotedAfter.toFixed(1)} s, limits shared again after ${sharedAgainAfter.toFixed(1)} s`,
      JSON.stringify(counts.answers),
    );
    expect(counts).toMatchObject(NO_HARM);
  }, 180_000);
});
