import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, newMerchant, type Body, type Merchant, type Reply } from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { sleep } from '../helpers/wait.js';

/**
 * Issue 15, part 5: every CAMARA operation, reads included, answers 429 TOO_MANY_REQUESTS with
 * Retry-After once a merchant passes its rate, from separate budgets for reads and writes, with
 * the merchant's own budgets over the configured ones (the eleven …_429.01 scenarios).
 */
let gw: TestGateway;
let shop: Merchant;
const BUDGET = 3;
const PAY = () => `${gw.url}/carrier-billing/v0.5/payments`;
const REFUND = () => `${gw.url}/carrier-billing-refund/v0.3`;

beforeAll(async () => {
  gw = await startTestGateway({
    limits: { readRequestsPerMerchantPerSecond: BUDGET, writeRequestsPerMerchantPerSecond: BUDGET },
  });
  shop = await newMerchant(gw, { name: 'Budget Shop' });
});
afterAll(async () => gw?.stop());

/** `n` requests at once. */
const burst = (n: number, send: () => Promise<Reply<Body>>) => Promise.all(Array.from({ length: n }, send));

/** The 429s are CAMARA's, with Retry-After; how many got through. */
function admitted(replies: Array<Reply<Body>>): number {
  for (const reply of replies.filter((r) => r.status === 429)) {
    expect(reply.body).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
    expect(reply.headers.get('retry-after')).toBe('1');
  }
  return replies.filter((r) => r.status !== 429).length;
}

describe('request budgets', () => {
  it('let at most the budget through a second, reads and writes apart, on both APIs', async () => {
    // 30 reads and 30 writes at once: each budget lets 3 through a second (6 if the burst
    // outlasts the window its first request opened), the reads never eat the writes' budget nor the other way round.
    const [reads, writes, refundReads] = await Promise.all([
      burst(30, () => http('GET', PAY(), { token: shop.token })),
      burst(30, () =>
        http('POST', `${PAY()}/pay_unknown/confirm`, { token: shop.token, body: { phoneNumber: '+821012345678' } }),
      ),
      burst(30, () => http('GET', `${REFUND()}/payments/pay_unknown/refunds`, { token: shop.token })),
    ]);
    const readsThrough = admitted(reads) + admitted(refundReads);
    expect(readsThrough).toBeGreaterThanOrEqual(BUDGET);
    expect(readsThrough).toBeLessThanOrEqual(2 * BUDGET);
    const writesThrough = admitted(writes);
    expect(writesThrough).toBeGreaterThanOrEqual(BUDGET);
    expect(writesThrough).toBeLessThanOrEqual(2 * BUDGET);
    // What got through was answered as usual.
    expect(writes.filter((r) => r.status !== 429).every((r) => r.body.code === 'NOT_FOUND')).toBe(true);
  });

  it('are not spent by requests that do not authenticate as the merchant', async () => {
    // Past the second-long window the earlier tests' requests opened, so that they do not count.
    await sleep(1_100);
    const anonymous = await burst(30, () => http('GET', PAY(), { token: 'not-a-token' }));
    expect(new Set(anonymous.map((r) => r.status))).toEqual(new Set([401]));
    const mine = await burst(BUDGET, () => http('GET', `${PAY()}/pay_unknown`, { token: shop.token }));
    expect(mine.map((r) => r.status)).toEqual(Array.from({ length: BUDGET }, () => 404));
  });

  it("take the merchant's own budget over the configured one", async () => {
    const big = await newMerchant(gw, { name: 'Big Shop' });
    const patched = await http('PATCH', `${gw.url}/admin/v1/merchants/${big.merchantId}`, {
      token: gw.operatorToken,
      body: { limits: { readsPerSecond: 100 } },
    });
    expect(patched.status).toBe(200);
    const reads = await burst(30, () => http('GET', PAY(), { token: big.token }));
    expect(admitted(reads)).toBe(30);
    // Its writes keep the configured budget.
    const writes = await burst(30, () =>
      http('POST', `${PAY()}/pay_unknown/cancel`, { token: big.token, body: { phoneNumber: '+821012345678' } }),
    );
    expect(admitted(writes)).toBeLessThanOrEqual(2 * BUDGET);
  });

  it('refuse a budget that is no positive whole number', async () => {
    const reply = await http('PATCH', `${gw.url}/admin/v1/merchants/${shop.merchantId}`, {
      token: gw.operatorToken,
      body: { limits: { writesPerSecond: 0 } },
    });
    expect(reply.body).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' });
  });
});
