import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whileLeased } from '../../src/jobs/recovery.js';
import { recoveryWindows } from '../../src/services/recovery/windows.js';
import { http, newMerchant, phoneNumber, prepareBody } from '../helpers/client.js';
import { startTestGateway, testCarriers, type TestGateway } from '../helpers/gateway.js';
import { sleep } from '../helpers/wait.js';

/**
 * Issue 14, part 5: recovery leases are short and renewed by the instance working on them, so
 * work claimed by an instance that died is taken up within seconds (it was about 5 minutes: the
 * longest call budget times a batch of 20), and never while its claimant still works on it.
 */
let gw: TestGateway;
const NEVER = '0 0 0 1 1 *';

beforeAll(async () => {
  gw = await startTestGateway({
    carriers: testCarriers({ moneyTimeoutMs: 300 }),
    recovery: { schedule: NEVER, pendingGraceSeconds: 1, maxAttempts: 3, retryAfterSeconds: 1 },
  });
});
afterAll(async () => gw?.stop());

/** A one-step payment whose charge the carrier never answers: left for recovery. */
async function unanswered(): Promise<string> {
  const shop = await newMerchant(gw, { name: `Hanging Shop ${Math.random()}`, oneStepPayments: true });
  const reply = await http('POST', `${gw.url}/carrier-billing/v0.5/payments`, {
    token: shop.token,
    body: prepareBody(phoneNumber(2, '9905')),
  });
  expect(reply.body.paymentStatus).toBe('processing');
  return reply.body.paymentId as string;
}

const claim = () =>
  gw.context.store.transaction((tx) => {
    const { graceSeconds, leaseSeconds } = recoveryWindows(gw.context);
    return tx.operations.claimToRecover('charge', graceSeconds, leaseSeconds, 20);
  });

describe('recovery leases', () => {
  it('lapse within seconds when their instance is gone, and hold while it works and renews them', async () => {
    const [abandoned, worked] = [await unanswered(), await unanswered()];
    const { graceSeconds, leaseSeconds } = recoveryWindows(gw.context);
    expect(leaseSeconds).toBeLessThan(15);
    await sleep((graceSeconds + 0.5) * 1000);
    const claimed = await claim();
    expect(new Set(claimed.map((op) => op.payment_id))).toEqual(new Set([abandoned, worked]));
    expect(await claim()).toEqual([]);

    // One claimant goes on working on `worked` past its lease (renewing it); `abandoned` is left
    // as by an instance that died: another instance takes up that one only.
    const working = claimed.filter((op) => op.payment_id === worked);
    let takenMeanwhile: string[] = [];
    await whileLeased(gw.context, working, async () => {
      await sleep((leaseSeconds + 1) * 1000);
      takenMeanwhile = (await claim()).map((op) => op.payment_id);
    });
    expect(takenMeanwhile).toEqual([abandoned]);
  }, 40_000);
});
