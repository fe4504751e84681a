import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../helpers/wait.js';
import { countsLine, NO_HARM, startFaultHarness, type FaultHarness } from './harness.js';

/**
 * Issue 14, fault 1: PostgreSQL crash-restarts (`-m immediate`) under a load of purchases. The
 * gateway must answer 503 with Retry-After meanwhile, never 500, never exit, and serve again when
 * the database is back, without a restart; and the money must add up.
 */
let harness: FaultHarness;
beforeAll(async () => {
  harness = await startFaultHarness({ instances: 1, redis: true, name: 'database-restart' });
}, 120_000);
afterAll(async () => harness?.stop(), 60_000);

describe('PostgreSQL crash-restart under load', () => {
  it('answers 503 while it is down, never 500, never exits, and serves again after', async () => {
    const fault = (async () => {
      await sleep(2_000);
      await harness.postgres?.crash();
      const outage = await fetch(`${harness.gateways[0]?.url ?? ''}/health/ready`);
      expect(outage.status).toBe(503);
      await sleep(3_000);
      await harness.postgres?.start();
      await sleep(4_000);
    })();
    await harness.load(6, fault);
    await fault;
    const counts = await harness.audit();
    console.log(countsLine('database crash-restart', counts), JSON.stringify(counts.answers));
    expect(counts.confirmed).toBeGreaterThan(10);
    expect(counts.answers[503]).toBeGreaterThan(0);
    expect(counts).toMatchObject(NO_HARM);
  }, 180_000);
});
