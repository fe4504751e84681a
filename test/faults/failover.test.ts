import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAutoFailover } from '../helpers/auto-failover.js';
import { sleep } from '../helpers/wait.js';
import { countsLine, NO_HARM, startFaultHarness, type FaultHarness } from './harness.js';

/**
 * Issue 14, fault 5: a PostgreSQL failover under load. pg_auto_failover runs a primary and a
 * synchronous standby; the gateways have both in DATABASE_URL (target_session_attrs=read-write).
 * The primary's machine stops; the standby is promoted; the gateways find it, and every payment
 * they acknowledged is on the new primary, charged exactly once at the carriers.
 */
let formation: Awaited<ReturnType<typeof startAutoFailover>> | undefined;
let harness: FaultHarness | undefined;
beforeAll(async () => {
  formation = await startAutoFailover();
  harness = await startFaultHarness({ instances: 2, redis: true, name: 'failover', database: formation });
}, 180_000);
afterAll(async () => {
  await harness?.stop();
  await formation?.stop();
}, 60_000);

describe('PostgreSQL failover under load', () => {
  it('moves to the new primary by itself; every acknowledged payment is there, charged once', async () => {
    const h = harness;
    const f = formation;
    if (!h || !f) throw new Error('no formation');
    let failoverSeconds = 0;
    let confirmedBefore = 0;
    const fault = (async () => {
      await sleep(3_000);
      confirmedBefore = h.confirmedCount();
      const started = Date.now();
      const old = await f.stopPrimary();
      for (let port = await f.primaryPort(); port === undefined || port === old; port = await f.primaryPort()) {
        if (Date.now() - started > 60_000) throw new Error('no standby was promoted within a minute');
        await sleep(200);
      }
      failoverSeconds = (Date.now() - started) / 1000;
      await sleep(5_000);
    })();
    await h.load(6, fault);
    await fault;
    const counts = await h.audit();
    console.log(
      countsLine('PostgreSQL failover', counts),
      `; new primary after ${failoverSeconds.toFixed(1)} s; confirmed before ${String(confirmedBefore)}, after ${String(counts.confirmed - confirmedBefore)}`,
      JSON.stringify(counts.answers),
    );
    // It serves again on the new primary (how many in the 5 s after depends on the machine's load).
    expect(counts.confirmed - confirmedBefore).toBeGreaterThan(3);
    expect(counts).toMatchObject(NO_HARM);
  }, 240_000);
});
