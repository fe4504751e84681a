import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, inbox, ledger, newMerchant, phoneNumber, prepareBody, tokenFor } from '../helpers/client.js';
import { startTestGateway, testCarriers, type TestGateway } from '../helpers/gateway.js';
import { sleep } from '../helpers/wait.js';

let gw: TestGateway;
const PAY = () => `${gw.url}/carrier-billing/v0.5`;

beforeAll(async () => {
  gw = await startTestGateway({
    carriers: testCarriers({ monthlyLimitMinor: 50_000 }),
    limits: { maxPaymentMinor: 40_000, codesPerMerchantPerMinute: 8, paymentRequestsPerMerchantPerSecond: 5 },
  });
});
afterAll(async () => gw?.stop());

const charge = (m: { token: string }, phone: string, amount: number) =>
  http('POST', `${PAY()}/payments`, { token: m.token, body: prepareBody(phone, { amount }) });
const countRows = async () =>
  Number((await gw.database.query<{ n: bigint }>('SELECT count(*) AS n FROM payments')).rows[0]?.n);

describe('spending limits', () => {
  it('a phone number may spend exactly its monthly limit across merchants, not one unit more, and a refund gives headroom back', async () => {
    const first = await newMerchant(gw, { name: 'Limit Shop A', oneStepPayments: true });
    const second = await newMerchant(gw, { name: 'Limit Shop B', oneStepPayments: true });
    const phone = phoneNumber(1);
    const a = await charge(first, phone, 30_000);
    expect((await charge(second, phone, 20_000)).body.paymentStatus).toBe('succeeded');

    const rowsBefore = await countRows();
    for (const m of [first, second]) {
      const over = await charge(m, phone, 1);
      expect(over.body).toMatchObject({ status: 422, code: 'CARRIER_BILLING.USER_AMOUNT_THRESHOLD_OVERPASSED' });
    }
    const prepared = await http('POST', `${PAY()}/payments/prepare`, {
      token: first.token,
      body: prepareBody(phone, { amount: 1 }),
    });
    expect(prepared.body.code).toBe('CARRIER_BILLING.USER_AMOUNT_THRESHOLD_OVERPASSED');
    expect(await countRows()).toBe(rowsBefore);
    expect((await ledger(gw, 'alpha', phone)).entries.map((e) => e.amount)).toEqual([30_000, 20_000]);

    const refund = await http('POST', `${gw.url}/carrier-billing-refund/v0.3/payments/${a.body.paymentId}/refunds`, {
      token: first.token,
      body: {
        type: 'partial',
        amountTransaction: {
          referenceCode: 'limit-refund',
          refundAmount: { chargingInformation: { amount: 5_000, currency: 'KRW', description: 'Back' } },
        },
      },
    });
    expect(refund.body.refundStatus).toBe('succeeded');
    expect((await charge(first, phone, 5_000)).body.paymentStatus).toBe('succeeded');
    expect((await charge(first, phone, 1)).body.code).toBe('CARRIER_BILLING.USER_AMOUNT_THRESHOLD_OVERPASSED');
  });

  it('concurrent payments of one phone number never add up past the monthly limit', async () => {
    // Two merchants (the per-second request limit here is 5 each) race eight payments of 7,000
    // for one phone number's 50,000: exactly seven fit.
    const shops = [
      await newMerchant(gw, { name: 'Race Shop 1', oneStepPayments: true }),
      await newMerchant(gw, { name: 'Race Shop 2', oneStepPayments: true }),
    ];
    const phone = phoneNumber(2);
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) => charge(shops[i % 2] as { token: string }, phone, 7_000)),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([201, 201, 201, 201, 201, 201, 201, 422]);
    expect(replies.find((r) => r.status === 422)?.body.code).toBe('CARRIER_BILLING.USER_AMOUNT_THRESHOLD_OVERPASSED');
    expect((await ledger(gw, 'bravo', phone)).entries.reduce((sum, e) => sum + e.amount, 0)).toBe(49_000);
  });

  it('a single payment above the maximum is UNAUTHORIZED_AMOUNT', async () => {
    const m = await newMerchant(gw, { name: 'Big Ticket', oneStepPayments: true });
    expect((await charge(m, phoneNumber(2), 40_001)).body).toMatchObject({
      status: 422,
      code: 'CARRIER_BILLING.UNAUTHORIZED_AMOUNT',
    });
    expect((await charge(m, phoneNumber(2), 40_000)).body.paymentStatus).toBe('succeeded');
  });

  it("a merchant's daily cap counts all its payments of the day", async () => {
    const created = await http('POST', `${gw.url}/admin/v1/merchants`, {
      token: gw.operatorToken,
      body: { name: 'Capped Shop', oneStepPayments: true, dailyCapMinor: 10_000 },
    });
    expect(created.body.dailyCapMinor).toBe(10_000);
    const capped = { token: await tokenFor(gw, created.body.clientId as string, created.body.clientSecret as string) };
    const uncapped = await newMerchant(gw, { name: 'Uncapped Shop', oneStepPayments: true });
    expect((await charge(capped, phoneNumber(3), 6_000)).body.paymentStatus).toBe('succeeded');
    expect((await charge(capped, phoneNumber(1), 4_000)).body.paymentStatus).toBe('succeeded');
    expect((await charge(capped, phoneNumber(2), 1)).body).toMatchObject({
      status: 422,
      code: 'CARRIER_BILLING.USER_AMOUNT_THRESHOLD_OVERPASSED',
    });
    expect((await charge(uncapped, phoneNumber(2), 1)).body.paymentStatus).toBe('succeeded');
  });
});

describe('abuse guards', () => {
  it('payment requests per merchant per second: 429 with Retry-After, then allowed again', async () => {
    const m = await newMerchant(gw, { name: 'Burst Shop' });
    const replies = await Promise.all(
      Array.from({ length: 8 }, () =>
        http('POST', `${PAY()}/payments/prepare`, { token: m.token, body: prepareBody(phoneNumber(1)) }),
      ),
    );
    const limited = replies.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(3);
    expect(limited[0]?.headers.get('retry-after')).toBe('1');
    expect(limited[0]?.body.code).toBe('TOO_MANY_REQUESTS');
    await sleep(1100);
    expect(
      (await http('POST', `${PAY()}/payments/prepare`, { token: m.token, body: prepareBody(phoneNumber(1)) })).status,
    ).toBe(201);
  });

  it('codes sent per merchant per minute stop SMS pumping without writing or texting', async () => {
    const m = await newMerchant(gw, { name: 'Pump Shop' });
    for (let i = 0; i < 8; i++) {
      if (i === 4) await sleep(1100);
      expect(
        (await http('POST', `${PAY()}/payments/prepare`, { token: m.token, body: prepareBody(phoneNumber(2)) })).status,
      ).toBe(201);
    }
    await sleep(1100);
    const phone = phoneNumber(2);
    const rowsBefore = await countRows();
    const pumped = await http('POST', `${PAY()}/payments/prepare`, { token: m.token, body: prepareBody(phone) });
    expect(pumped.body).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
    expect(await inbox(gw, phone)).toHaveLength(0);
    expect(await countRows()).toBe(rowsBefore);
  });
});
