import { afterEach, describe, expect, it } from 'vitest';
import { sleep } from '../helpers/wait.js';
import { countsLine, NO_HARM, startFaultHarness, type FaultHarness } from './harness.js';

/**
 * Issue 14, faults 2 and 4: gateway processes die under load, between any two lines. SIGKILLed
 * and started again (as a supervisor would), or gone for good with two others left: whatever a
 * dead instance had reserved, claimed or charged is finished by the living (recovery leases of
 * seconds, releases by reference), and the money adds up.
 */
let harness: FaultHarness | undefined;
afterEach(async () => harness?.stop(), 60_000);

const report = async (name: string, h: FaultHarness) => {
  const counts = await h.audit();
  console.log(countsLine(name, counts), JSON.stringify(counts.answers));
  return counts;
};

describe('gateway instances killed under load', () => {
  it('SIGKILL of an instance, started again: nothing lost, doubled, orphaned or left reserved', async () => {
    const h = (harness = await startFaultHarness({ instances: 2, redis: true, name: 'sigkill' }));
    const fault = (async () => {
      for (let kill = 0; kill < 3; kill++) {
        await sleep(2_000);
        await h.stopGateway(0, 'SIGKILL');
        await sleep(500);
        await h.gateways[0]?.start();
      }
      await sleep(2_000);
    })();
    await h.load(6, fault);
    await fault;
    const counts = await report('SIGKILL of an instance (3 times)', h);
    expect(counts.confirmed).toBeGreaterThan(10);
    expect(counts).toMatchObject(NO_HARM);
  }, 240_000);

  it('loss of one of three instances for good: the other two finish its work', async () => {
    const h = (harness = await startFaultHarness({ instances: 3, redis: true, name: 'one-of-three' }));
    let afterLoss = 0;
    const fault = (async () => {
      await sleep(3_000);
      await h.stopGateway(2, 'SIGKILL');
      const before = h.confirmedCount();
      await sleep(5_000);
      afterLoss = h.confirmedCount() - before;
    })();
    await h.load(6, fault);
    await fault;
    const counts = await report('loss of one of three instances', h);
    console.log(`purchases confirmed by the two left in 5 s: ${String(afterLoss)}`);
    expect(afterLoss).toBeGreaterThan(10);
    expect(counts).toMatchObject(NO_HARM);
  }, 240_000);
});
