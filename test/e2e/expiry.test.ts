import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  http,
  latestCode,
  ledger,
  newMerchant,
  phoneNumber,
  prepareBody,
  type Merchant,
} from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { sleep, until } from '../helpers/wait.js';

let gw: TestGateway;
let shop: Merchant;
let quiet: TestGateway;
let quietShop: Merchant;

beforeAll(async () => {
  // Codes live 1 s and reservations 2 s; the expiry job runs every second.
  gw = await startTestGateway({
    otp: { ttlSeconds: 1, resendCooldownSeconds: 0 },
    payments: { reservedTtlSeconds: 2, expirySchedule: '* * * * * *' },
  });
  shop = await newMerchant(gw, { name: 'Slow Shop' });
  // The same rules with the expiry job as good as off, so validate meets the lapsed code itself.
  quiet = await startTestGateway({
    otp: { ttlSeconds: 1, resendCooldownSeconds: 0 },
    payments: { reservedTtlSeconds: 2, expirySchedule: '0 0 0 1 1 *' },
  });
  quietShop = await newMerchant(quiet, { name: 'Quiet Shop' });
});
afterAll(async () => {
  await gw?.stop();
  await quiet?.stop();
});

describe('expiry', () => {
  it('an expired code is refused, denies the payment and releases the reservation', async () => {
    const phone = phoneNumber(1);
    const prepared = await http('POST', `${api(quiet)}/payments/prepare`, {
      token: quietShop.token,
      body: prepareBody(phone),
    });
    const code = await latestCode(quiet, phone);
    await sleep(1100);
    const reply = await http('POST', `${api(quiet)}/payments/${prepared.body.paymentId}/validate`, {
      token: quietShop.token,
      body: { authorizationId: prepared.body.validationInfo?.authorizationId, code },
    });
    expect(reply.body).toMatchObject({
      status: 400,
      code: 'CARRIER_BILLING.VALIDATION_FAILED',
      message: 'The validation code has expired.',
    });
    const payment = await http('GET', `${api(quiet)}/payments/${prepared.body.paymentId}`, { token: quietShop.token });
    expect(payment.body.paymentStatus).toBe('denied');
    const books = await ledger(quiet, 'alpha', phone);
    expect(books.openReservations).toHaveLength(0);
    expect(books.entries).toHaveLength(0);
  });

  it('the expiry job denies an unvalidated payment and cancels an unconfirmed one, releasing both reservations', async () => {
    const unvalidatedPhone = phoneNumber(2);
    const unvalidated = await http('POST', `${api(gw)}/payments/prepare`, {
      token: shop.token,
      body: prepareBody(unvalidatedPhone),
    });

    const unconfirmedPhone = phoneNumber(1);
    const unconfirmed = await http('POST', `${api(gw)}/payments/prepare`, {
      token: shop.token,
      body: prepareBody(unconfirmedPhone),
    });
    const validated = await http('POST', `${api(gw)}/payments/${unconfirmed.body.paymentId}/validate`, {
      token: shop.token,
      body: {
        authorizationId: unconfirmed.body.validationInfo?.authorizationId,
        code: await latestCode(gw, unconfirmedPhone),
      },
    });
    expect(validated.status).toBe(204);

    const status = (id: string) => async () =>
      (await http('GET', `${api(gw)}/payments/${id}`, { token: shop.token })).body.paymentStatus;
    expect(await until(status(unvalidated.body.paymentId as string), (s) => s === 'denied')).toBe('denied');
    expect(await until(status(unconfirmed.body.paymentId as string), (s) => s === 'cancelled')).toBe('cancelled');
    expect(
      (
        await until(
          () => ledger(gw, 'bravo', unvalidatedPhone),
          (b) => b.openReservations.length === 0,
        )
      ).openReservations,
    ).toHaveLength(0);
    expect(
      (
        await until(
          () => ledger(gw, 'alpha', unconfirmedPhone),
          (b) => b.openReservations.length === 0,
        )
      ).openReservations,
    ).toHaveLength(0);

    const timeline = await http('GET', `${gw.url}/admin/v1/payments/${unconfirmed.body.paymentId}`, {
      token: gw.operatorToken,
    });
    expect(timeline.body.timeline?.map((e) => `${e.actor} ${e.event}`)).toContain('job:expiry reservation_expired');
    const late = await http('POST', `${api(gw)}/payments/${unconfirmed.body.paymentId}/confirm`, {
      token: shop.token,
      body: { phoneNumber: unconfirmedPhone },
    });
    expect(late.body).toMatchObject({ status: 409, code: 'CARRIER_BILLING.PAYMENT_CANCELLED' });
  });
});
