import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, inbox, newMerchant, phoneNumber, prepareBody, type Body, type Merchant } from '../helpers/client.js';
import { newGiftCode } from '../../src/domain/gift-code.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * Security finding 1: the limits that protect a phone user are reserved before the work they
 * limit, so a burst of concurrent requests cannot overrun them (they all used to pass the check
 * before any of them was counted: 30 prepares gave 30 SMS).
 */
let gw: TestGateway;
const PAY = () => `${gw.url}/carrier-billing/v0.5`;

beforeAll(async () => {
  gw = await startTestGateway({
    // The request-rate limit would hide the SMS limits under test.
    limits: { maxPaymentMinor: 500_000, codesPerMerchantPerMinute: 12, paymentRequestsPerMerchantPerSecond: 1_000 },
    giftCertificates: { validityDays: 365, failedAttemptsPerMinute: 10 },
    otp: { merchantMinValidations: 10, merchantFailureRatio: 0.5, merchantWindowSeconds: 600 },
  });
});
afterAll(async () => gw?.stop());

const prepare = (m: Merchant, phone: string) =>
  http('POST', `${PAY()}/payments/prepare`, { token: m.token, body: prepareBody(phone) });
const statuses = (replies: Array<{ status: number }>) =>
  replies.reduce<Record<number, number>>((n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }), {});

describe('limits reserved before the work', () => {
  it('50 concurrent prepares for one number from three merchants send exactly 10 SMS (the hourly limit)', async () => {
    const shops = [
      await newMerchant(gw, { name: 'Bomb Shop 1' }),
      await newMerchant(gw, { name: 'Bomb Shop 2' }),
      await newMerchant(gw, { name: 'Bomb Shop 3' }),
    ];
    const victim = phoneNumber(1);
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => prepare(shops[i % 3] as Merchant, victim)));
    expect(statuses(replies)).toEqual({ 201: 10, 429: 40 });
    expect(await inbox(gw, victim)).toHaveLength(10);
  });

  it("30 concurrent prepares to different numbers send exactly the merchant's 12 SMS a minute", async () => {
    const pump = await newMerchant(gw, { name: 'Pump Shop' });
    const phones = Array.from({ length: 30 }, () => phoneNumber(2));
    const replies = await Promise.all(phones.map((phone) => prepare(pump, phone)));
    expect(statuses(replies)).toEqual({ 201: 12, 429: 18 });
    const sent = await Promise.all(phones.map((phone) => inbox(gw, phone)));
    expect(sent.flat()).toHaveLength(12);
  });

  it('30 concurrent wrong gift codes get 10 answers (the failure limit) and 20 refusals', async () => {
    const shop = await newMerchant(gw, { name: 'Guessed Shop' });
    const replies = await Promise.all(
      Array.from({ length: 30 }, () =>
        http('POST', `${gw.url}/gift-certificates/v1/certificates/lookup`, {
          token: shop.token,
          body: { code: newGiftCode() }, // well-formed, so each one is looked up
        }),
      ),
    );
    expect(statuses(replies)).toEqual({ 404: 10, 429: 20 });
  });

  it('a merchant relaying mostly wrong codes across many numbers has its validations paused', async () => {
    const guesser = await newMerchant(gw, { name: 'Guessing Shop' });
    const payments: Body[] = [];
    for (let i = 0; i < 6; i++) {
      const prepared = await prepare(guesser, phoneNumber(3));
      expect(prepared.status).toBe(201);
      payments.push(prepared.body);
    }
    // Two wrong codes per payment: never a payment's own limit (5), but every validation wrong.
    const validate = (p: Body) =>
      http('POST', `${PAY()}/payments/${p.paymentId as string}/validate`, {
        token: guesser.token,
        body: { authorizationId: p.validationInfo?.authorizationId, code: '000000' },
      });
    // Validations of payments that do not exist compare no code: they cannot dilute the share.
    for (let i = 0; i < 30; i++) {
      const padding = await http('POST', `${PAY()}/payments/pay_${String(i).padStart(22, 'x')}/validate`, {
        token: guesser.token,
        body: { authorizationId: 'x', code: '000000' },
      });
      expect(padding.status).toBe(404);
    }
    const replies = [];
    for (const payment of [...payments, ...payments]) replies.push(await validate(payment));
    const codes = replies.map((r) => r.body.code);
    // The tenth wrong code crosses the ratio over the minimum of ten validations: the rest are paused.
    expect(codes.slice(0, 10).every((c) => c === 'CARRIER_BILLING.INVALID_CODE')).toBe(true);
    expect(replies.slice(10).map((r) => r.status)).toEqual([429, 429]);

    // Another merchant's validations go on.
    const honest = await newMerchant(gw, { name: 'Honest Shop' });
    const prepared = await prepare(honest, phoneNumber(3));
    const reply = await http('POST', `${PAY()}/payments/${prepared.body.paymentId as string}/validate`, {
      token: honest.token,
      body: { authorizationId: prepared.body.validationInfo?.authorizationId, code: '000000' },
    });
    expect(reply.body.code).toBe('CARRIER_BILLING.INVALID_CODE');
  });
});
