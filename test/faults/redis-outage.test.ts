import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../helpers/wait.js';
import { countsLine, NO_HARM, startFaultHarness, type FaultHarness } from './harness.js';

/**
 * Issue 14, fault 3: Redis goes away for 6 s under load on two instances. Money never depended on
 * it: purchases go on with each instance's own, smaller limits (readiness and the metrics say so),
 * never a 500, and the shared limits come back with Redis.
 */
let harness: FaultHarness;
beforeAll(async () => {
  harness = await startFaultHarness({ instances: 2, redis: true, name: 'redis-outage' });
}, 120_000);
afterAll(async () => harness?.stop(), 60_000);

describe('Redis outage under load', () => {
  it('keeps taking payments on local limits, never answers 500, and shares limits again after', async () => {
    const url = harness.gateways[0]?.url ?? '';
    let duringOutage = 0;
    const fault = (async () => {
      await sleep(2_000);
      await harness.redis?.crash();
      const before = harness.confirmedCount();
      await sleep(6_000);
      duringOutage = harness.confirmedCount() - before;
      expect(await harness.limits(url)).toBe('local');
      await harness.redis?.start();
      await sleep(3_000);
    })();
    await harness.load(6, fault);
    await fault;
    expect(await harness.limits(url)).toBe('shared');
    const counts = await harness.audit();
    console.log(
      countsLine('Redis outage', counts),
      `during the outage: ${duringOutage}`,
      JSON.stringify(counts.answers),
    );
    expect(duringOutage).toBeGreaterThan(10);
    expect(counts).toMatchObject(NO_HARM);
  }, 180_000);
});
