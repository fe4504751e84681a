import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  http,
  ledger,
  newMerchant,
  phoneNumber,
  prepareBody,
  tokenFor,
  type Body,
  type Certificate,
  type Merchant,
} from '../helpers/client.js';
import { startTestGateway, testCarriers, type TestGateway } from '../helpers/gateway.js';
import { sleep } from '../helpers/wait.js';

let gw: TestGateway;
let shop: Merchant;
/** The gateway's clock runs this far ahead of the real one (the refund-window test moves it). */
let clockOffsetMs = 0;
const FAILED_LOOKUPS_PER_MINUTE = 60;

const PAY = () => `${gw.url}/carrier-billing/v0.5`;
const REFUND = () => `${gw.url}/carrier-billing-refund/v0.3`;
const GC = () => `${gw.url}/gift-certificates/v1`;

beforeAll(async () => {
  gw = await startTestGateway(
    {
      carriers: testCarriers({ moneyTimeoutMs: 600 }),
      recovery: { schedule: '* * * * * *', pendingGraceSeconds: 1, maxAttempts: 2, retryAfterSeconds: 1 },
      payments: { reservedTtlSeconds: 900, expirySchedule: '* * * * * *' },
      // Lookups in flight hold a slot of the guessing brake; the concurrency tests send 50 at once.
      giftCertificates: { validityDays: 365, failedAttemptsPerMinute: FAILED_LOOKUPS_PER_MINUTE },
    },
    { now: () => new Date(Date.now() + clockOffsetMs) },
  );
  shop = await newMerchant(gw, { name: 'Refund Shop', oneStepPayments: true });
});
afterAll(async () => gw?.stop());

/** A succeeded one-step payment and its certificate (magic numbers that stall the charge wait for recovery). */
async function paid(digit: 1 | 2 | 3, amount: number, suffix?: string) {
  const phone = phoneNumber(digit, suffix);
  const created = await http('POST', `${PAY()}/payments`, { token: shop.token, body: prepareBody(phone, { amount }) });
  const id = created.body.paymentId as string;
  let status = created.body.paymentStatus;
  for (let i = 0; i < 50 && status !== 'succeeded'; i++) {
    await sleep(200);
    status = (await http('GET', `${PAY()}/payments/${id}`, { token: shop.token })).body.paymentStatus;
  }
  expect(status).toBe('succeeded');
  const [certificate] = (
    await http<Certificate[]>('GET', `${GC()}/certificates?paymentId=${id}`, { token: shop.token })
  ).body;
  return { id, phone, certificate: certificate as Certificate };
}

let refundCounter = 0;
function refundBody(type: 'total' | 'partial', amount?: number) {
  refundCounter += 1;
  return {
    type,
    amountTransaction: {
      clientCorrelator: `refund-${Date.now()}-${refundCounter}`,
      referenceCode: `refund-ref-${Date.now()}-${refundCounter}`,
      refundAmount:
        amount === undefined ? {} : { chargingInformation: { amount, currency: 'KRW', description: 'Refund' } },
    },
  };
}

const refund = (paymentId: string, body: unknown, token = shop.token) =>
  http('POST', `${REFUND()}/payments/${paymentId}/refunds`, { token, body });
const redeem = (code: string, amount?: number) =>
  http('POST', `${GC()}/redemptions`, {
    token: shop.token,
    body: { code, ...(amount === undefined ? {} : { amount }) },
  });
const balance = async (certificateId: string) =>
  (await http<Certificate>('GET', `${GC()}/certificates/${certificateId}`, { token: shop.token })).body;
const refundsAt = async (carrier: string, phone: string) =>
  (await ledger(gw, carrier, phone)).entries.filter((e) => e.type === 'refund');

describe('refunds', () => {
  it('a partial then a total refund give back the balance, and the carrier refunds exactly that', async () => {
    const { id, phone, certificate } = await paid(1, 10_000);
    const partial = await refund(id, refundBody('partial', 3_000));
    expect(partial.status).toBe(201);
    expect(partial.body).toMatchObject({ refundStatus: 'succeeded', type: 'partial' });
    expect((await balance(certificate.certificateId)).balance.amount).toBe(7_000);

    const total = await refund(id, refundBody('total'));
    expect(total.body).toMatchObject({ refundStatus: 'succeeded', type: 'total' });
    // CAMARA create_refund_04_total_refund: a total refund names no amount; the carrier's books tell it.
    const shown = total.body as unknown as { amountTransaction: { refundAmount: unknown } };
    expect(shown.amountTransaction.refundAmount).toEqual({});
    const after = await balance(certificate.certificateId);
    expect(after).toMatchObject({ status: 'void', balance: { amount: 0 } });
    expect((await refundsAt('alpha', phone)).map((e) => e.amount)).toEqual([3_000, 7_000]);

    const remaining = await http('GET', `${REFUND()}/payments/${id}/refunds/remaining-amount`, { token: shop.token });
    expect(remaining.body).toMatchObject({ amount: 0, currency: 'KRW' });
    const list = await http<Body[]>('GET', `${REFUND()}/payments/${id}/refunds?order=asc`, { token: shop.token });
    expect(list.body.map((r) => r.type)).toEqual(['partial', 'total']);
    expect(list.headers.get('x-total-count')).toBe('2');
    const one = await http('GET', `${REFUND()}/payments/${id}/refunds/${partial.body.refundId as string}`, {
      token: shop.token,
    });
    expect(one.body.refundId).toBe(partial.body.refundId);

    // Nothing left: not eligible (CAMARA create_refund_403.03), where more than what is left is 422.
    const more = await refund(id, refundBody('partial', 1));
    expect(more.body).toMatchObject({ status: 403, code: 'CARRIER_BILLING_REFUND.PAYMENT_NOT_ELIGIBLE_FOR_REFUND' });
  });

  it('after a partial redemption only the unspent balance can be refunded', async () => {
    const { id, phone, certificate } = await paid(2, 5_000);
    const spent = await redeem(certificate.code, 2_000);
    expect(spent.body).toMatchObject({ amountRedeemed: { amount: 2_000 }, balance: { amount: 3_000 } });
    expect((await refund(id, refundBody('partial', 3_001))).body).toMatchObject({
      status: 422,
      code: 'CARRIER_BILLING_REFUND.UNAUTHORIZED_AMOUNT',
    });
    const total = await refund(id, refundBody('total'));
    expect(total.body.refundStatus).toBe('succeeded');
    expect(
      (total.body as unknown as { amountTransaction: { refundAmount: unknown } }).amountTransaction.refundAmount,
    ).toEqual({});
    expect((await refundsAt('bravo', phone)).map((e) => e.amount)).toEqual([3_000]);
    const remaining = await http('GET', `${REFUND()}/payments/${id}/refunds/remaining-amount`, { token: shop.token });
    expect(remaining.body.amount).toBe(2_000);
  });

  it('a fully redeemed certificate cannot be refunded', async () => {
    const { id, phone, certificate } = await paid(3, 4_000);
    expect((await redeem(certificate.code)).body).toMatchObject({
      amountRedeemed: { amount: 4_000 },
      balance: { amount: 0 },
    });
    expect((await refund(id, refundBody('total'))).body).toMatchObject({
      status: 403,
      code: 'CARRIER_BILLING_REFUND.PAYMENT_NOT_ELIGIBLE_FOR_REFUND',
    });
    expect(await refundsAt('charlie', phone)).toEqual([]);
  });

  it('refuses a refund of a payment that is not completed, or of another merchant', async () => {
    const phone = phoneNumber(1);
    const prepared = await http('POST', `${PAY()}/payments/prepare`, { token: shop.token, body: prepareBody(phone) });
    expect((await refund(prepared.body.paymentId as string, refundBody('total'))).body).toMatchObject({
      status: 422,
      code: 'CARRIER_BILLING_REFUND.INVALID_PAYMENT_STATUS',
    });
    const { id } = await paid(1, 1_000);
    const other = await newMerchant(gw, { name: 'Other Refund Shop' });
    expect((await refund(id, refundBody('total'), other.token)).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('checks isTaxIncluded and refundDetails against the payment', async () => {
    const { id } = await paid(1, 2_000);
    const tax = refundBody('partial', 100);
    Object.assign(tax.amountTransaction.refundAmount.chargingInformation ?? {}, { isTaxIncluded: true });
    expect((await refund(id, tax)).body).toMatchObject({
      status: 422,
      code: 'CARRIER_BILLING_REFUND.TAXES_MANAGEMENT_MISMATCH',
    });
    const details = refundBody('partial', 100);
    Object.assign(details.amountTransaction.refundAmount, {
      refundDetails: [{ paymentItemId: 'no-such-item', amount: 100, currency: 'KRW', description: 'x' }],
    });
    expect((await refund(id, details)).body).toMatchObject({
      status: 422,
      code: 'CARRIER_BILLING_REFUND.REFUND_DETAILS_MISMATCH',
    });
  });

  it('is idempotent on clientCorrelator', async () => {
    const { id, phone } = await paid(2, 2_000);
    const body = refundBody('partial', 500);
    const replies = await Promise.all(Array.from({ length: 10 }, () => refund(id, body)));
    expect(new Set(replies.map((r) => r.body.refundId)).size).toBe(1);
    expect((await refundsAt('bravo', phone)).map((e) => e.amount)).toEqual([500]);
    const changed = await refund(id, {
      ...body,
      amountTransaction: {
        ...body.amountTransaction,
        refundAmount: { chargingInformation: { amount: 600, currency: 'KRW', description: 'x' } },
      },
    });
    expect(changed.body).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' });
  });
});

describe('refunds the carrier does not simply accept', () => {
  it('a carrier refusal (9908) denies the refund and puts the balance back', async () => {
    const { id, phone, certificate } = await paid(1, 3_000, '9908');
    const refused = await refund(id, refundBody('partial', 1_000));
    expect(refused.body).toMatchObject({ status: 403, code: 'CARRIER_BILLING_REFUND.REFUND_DENIED' });
    expect((await balance(certificate.certificateId)).balance.amount).toBe(3_000);
    expect(await refundsAt('alpha', phone)).toEqual([]);
    const list = await http<Body[]>('GET', `${REFUND()}/payments/${id}/refunds?refundStatus=denied`, {
      token: shop.token,
    });
    expect(list.body).toHaveLength(1);
  });

  it('a refused first attempt (9906) is retried with the same reference and refunds once', async () => {
    const { id, phone } = await paid(3, 3_000, '9906');
    expect((await refund(id, refundBody('total'))).body.refundStatus).toBe('succeeded');
    expect((await refundsAt('charlie', phone)).map((e) => e.amount)).toEqual([3_000]);
  });

  it('an unanswered refund (9904) stays processing until recovery learns it happened', async () => {
    for (const [digit, carrier] of [
      [2, 'bravo'],
      [3, 'charlie'],
    ] as const) {
      const { id, phone } = await paid(digit, 2_500, '9904');
      const pending = await refund(id, refundBody('total'));
      expect(pending.status).toBe(201);
      expect(pending.body.refundStatus).toBe('processing');
      let status = pending.body.refundStatus;
      for (let i = 0; i < 50 && status !== 'succeeded'; i++) {
        await sleep(200);
        status = (
          await http('GET', `${REFUND()}/payments/${id}/refunds/${pending.body.refundId as string}`, {
            token: shop.token,
          })
        ).body.refundStatus;
      }
      expect(status, carrier).toBe('succeeded');
      expect(
        (await refundsAt(carrier, phone)).map((e) => e.amount),
        carrier,
      ).toEqual([2_500]);
    }
  });

  it('an unanswered refund that never happened (9905 at bravo) is sent again and refunded once', async () => {
    const { id, phone } = await paid(2, 1_500, '9905');
    const pending = await refund(id, refundBody('total'));
    expect(pending.body.refundStatus).toBe('processing');
    let status = pending.body.refundStatus;
    for (let i = 0; i < 50 && status !== 'succeeded'; i++) {
      await sleep(200);
      status = (
        await http('GET', `${REFUND()}/payments/${id}/refunds/${pending.body.refundId as string}`, {
          token: shop.token,
        })
      ).body.refundStatus;
    }
    expect(status).toBe('succeeded');
    expect((await refundsAt('bravo', phone)).map((e) => e.amount)).toEqual([1_500]);
  });
});

describe('gift certificates under concurrency', () => {
  it('50 concurrent redemptions never take more than the balance', async () => {
    const { certificate } = await paid(1, 10_000);
    const replies = await Promise.all(Array.from({ length: 50 }, () => redeem(certificate.code, 300)));
    const ok = replies.filter((r) => r.status === 201);
    expect(ok).toHaveLength(33);
    expect(replies.filter((r) => r.status !== 201).every((r) => r.body.code === 'INSUFFICIENT_BALANCE')).toBe(true);
    expect((await balance(certificate.certificateId)).balance.amount).toBe(100);
  });

  it('50 concurrent refunds and redemptions keep refunded + redeemed within the face value', async () => {
    const { id, phone, certificate } = await paid(2, 10_000);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        i % 2 === 0 ? redeem(certificate.code, 400) : refund(id, refundBody('partial', 400)),
      ),
    );
    const redeemed = replies.filter((r) => r.status === 201 && r.body.redemptionId).length * 400;
    const refunded = replies.filter((r) => r.status === 201 && r.body.refundId).length * 400;
    const left = (await balance(certificate.certificateId)).balance.amount;
    // Twice the face value was asked for: exactly the face value is taken, and nothing is left.
    expect(redeemed + refunded).toBe(10_000);
    expect(left).toBe(0);
    expect((await refundsAt('bravo', phone)).reduce((sum, e) => sum + e.amount, 0)).toBe(refunded);
    const refusals = new Set(replies.filter((r) => r.status !== 201).map((r) => r.body.code));
    expect(
      [...refusals].every((c) =>
        [
          'INSUFFICIENT_BALANCE',
          'GIFT_CERTIFICATE_INACTIVE',
          'TOO_MANY_REQUESTS',
          'CARRIER_BILLING_REFUND.UNAUTHORIZED_AMOUNT',
          'CARRIER_BILLING_REFUND.PAYMENT_NOT_ELIGIBLE_FOR_REFUND',
        ].includes(String(c)),
      ),
    ).toBe(true);
    expect(refusals.size).toBeGreaterThan(0);
  });
});

describe('time', () => {
  it("refuses a refund after the carrier's refund window, and certificates expire after their validity", async () => {
    const { id, certificate } = await paid(1, 2_000);
    clockOffsetMs = 40 * 86_400_000;
    try {
      shop.token = await tokenFor(gw, shop.clientId, shop.clientSecret);
      const late = await refund(id, refundBody('total'));
      expect(late.body).toMatchObject({ status: 403, code: 'CARRIER_BILLING_REFUND.PAYMENT_NOT_ELIGIBLE_FOR_REFUND' });

      clockOffsetMs = 366 * 86_400_000;
      shop.token = await tokenFor(gw, shop.clientId, shop.clientSecret);
      expect((await balance(certificate.certificateId)).status).toBe('expired');
      const spent = await redeem(certificate.code, 100);
      expect(spent.body).toMatchObject({ status: 410, code: 'GIFT_CERTIFICATE_INACTIVE' });
      // The expiry job records it too, not only the view.
      let stored = '';
      for (let i = 0; i < 30 && stored !== 'expired'; i++) {
        await sleep(200);
        stored =
          (
            await gw.database.query<{ status: string }>('SELECT status FROM gift_certificates WHERE id = $1', [
              certificate.certificateId,
            ])
          ).rows[0]?.status ?? '';
      }
      expect(stored).toBe('expired');
    } finally {
      clockOffsetMs = 0;
      shop.token = await tokenFor(gw, shop.clientId, shop.clientSecret);
    }
  });
});

describe('gift-certificate brute force', () => {
  it('answers 429 after repeated failed look-ups, for that merchant and address only', async () => {
    const failures = await Promise.all(
      Array.from({ length: FAILED_LOOKUPS_PER_MINUTE }, (_, i) =>
        http('POST', `${GC()}/certificates/lookup`, {
          token: shop.token,
          body: { code: `0000-0000-0000-${String(i).padStart(4, '0')}-0` },
        }),
      ),
    );
    expect(failures.every((r) => r.body.code === 'GIFT_CERTIFICATE_NOT_FOUND')).toBe(true);
    const { certificate } = await paid(2, 1_000);
    const blocked = await http('POST', `${GC()}/certificates/lookup`, {
      token: shop.token,
      body: { code: certificate.code },
    });
    expect(blocked.body).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
    expect(blocked.headers.get('retry-after')).toBe('60');
    const blockedRedeem = await redeem(certificate.code, 1);
    expect(blockedRedeem.status).toBe(429);

    const other = await newMerchant(gw, { name: 'Unblocked Shop' });
    const theirs = await http('POST', `${GC()}/certificates/lookup`, {
      token: other.token,
      body: { code: certificate.code },
    });
    expect(theirs.body).toMatchObject({ status: 404, code: 'GIFT_CERTIFICATE_NOT_FOUND' });
  });
});
