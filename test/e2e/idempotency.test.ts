import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  http,
  inbox,
  latestCode,
  ledger,
  newMerchant,
  phoneNumber,
  prepareBody,
  type Merchant,
} from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
let shop: Merchant;

beforeAll(async () => {
  // The merchant's 50 payment requests a second would get in the way of the bursts here.
  gw = await startTestGateway({ limits: { paymentRequestsPerMerchantPerSecond: 1_000 } });
  shop = await newMerchant(gw, { name: 'Idem Shop' });
});
afterAll(async () => gw?.stop());

const prepare = (body: unknown, token = shop.token) => http('POST', `${api(gw)}/payments/prepare`, { token, body });

async function reservedPayment(carrier: 1 | 2) {
  const phone = phoneNumber(carrier);
  const prepared = await prepare(prepareBody(phone));
  const id = prepared.body.paymentId as string;
  await http('POST', `${api(gw)}/payments/${id}/validate`, {
    token: shop.token,
    body: { authorizationId: prepared.body.validationInfo?.authorizationId, code: await latestCode(gw, phone) },
  });
  return { id, phone };
}

describe('clientCorrelator and referenceCode', () => {
  it('20 parallel prepares with one clientCorrelator make one payment, one reservation and one SMS', async () => {
    const phone = phoneNumber(2);
    const body = prepareBody(phone);
    const replies = await Promise.all(Array.from({ length: 20 }, () => prepare(body)));
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(replies.map((r) => r.body.paymentId)).size).toBe(1);
    expect(new Set(replies.map((r) => r.body.validationInfo?.authorizationId)).size).toBe(1);
    expect((await ledger(gw, 'bravo', phone)).openReservations).toHaveLength(1);
    expect(await inbox(gw, phone)).toHaveLength(1);
  });

  it('copies of a prepare sent at once are not refused the code send their original holds', async () => {
    // Nine of the number's ten code sends an hour are used: the copies find none left, and their
    // original's payment is not written yet when they ask.
    const phone = phoneNumber(2);
    for (let i = 0; i < 9; i++) expect((await prepare(prepareBody(phone))).status).toBe(201);
    const body = prepareBody(phone);
    const replies = await Promise.all(Array.from({ length: 20 }, () => prepare(body)));
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(replies.map((r) => r.body.paymentId)).size).toBe(1);
    expect(await inbox(gw, phone)).toHaveLength(10);
    // A request of its own is refused: the sends are used up.
    expect((await prepare(prepareBody(phone))).status).toBe(429);
  });

  it('the same clientCorrelator with another request is INVALID_ARGUMENT and changes nothing', async () => {
    const phone = phoneNumber(1);
    const first = await prepare(prepareBody(phone, { correlator: 'corr-fixed-1', reference: 'ref-a' }));
    expect(first.status).toBe(201);
    const reused = await prepare(prepareBody(phone, { correlator: 'corr-fixed-1', reference: 'ref-a', amount: 9999 }));
    expect(reused.body).toMatchObject({
      status: 400,
      code: 'INVALID_ARGUMENT',
      message: 'clientCorrelator already exist on server.',
    });
    expect((await ledger(gw, 'alpha', phone)).openReservations).toHaveLength(1);
  });

  it('a referenceCode already used is 409 ALREADY_EXISTS', async () => {
    const phone = phoneNumber(1);
    expect((await prepare(prepareBody(phone, { reference: 'ref-used-once' }))).status).toBe(201);
    const again = await prepare(prepareBody(phone, { reference: 'ref-used-once' }));
    expect(again.body).toMatchObject({ status: 409, code: 'ALREADY_EXISTS' });
  });

  it('another merchant may use the same clientCorrelator and referenceCode', async () => {
    const other = await newMerchant(gw, { name: 'Other Idem Shop' });
    const phone = phoneNumber(1);
    const body = prepareBody(phone, { correlator: 'shared-corr', reference: 'shared-ref' });
    const mine = await prepare(body);
    const theirs = await prepare(body, other.token);
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(mine.body.paymentId).not.toBe(theirs.body.paymentId);
  });

  it('a declined prepare frees its clientCorrelator, so a retry is a fresh attempt', async () => {
    const phone = phoneNumber(1, '9901');
    const body = prepareBody(phone);
    expect((await prepare(body)).status).toBe(403);
    expect((await prepare(body)).status).toBe(403);
    expect(await inbox(gw, phone)).toHaveLength(0);
    // Not a replay of the refusal: the same clientCorrelator, now for a phone that can pay, is a new payment.
    const retry = await prepare(prepareBody(phoneNumber(1), { correlator: body.amountTransaction.clientCorrelator }));
    expect(retry.status).toBe(201);
  });
});

describe('repeated second steps', () => {
  it('20 parallel confirms charge the reservation exactly once', async () => {
    const { id, phone } = await reservedPayment(1);
    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        http('POST', `${api(gw)}/payments/${id}/confirm`, { token: shop.token, body: { phoneNumber: phone } }),
      ),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(
      replies.filter((r) => r.status === 409).every((r) => r.body.code === 'CARRIER_BILLING.PAYMENT_CONFIRMED'),
    ).toBe(true);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const charges = (await ledger(gw, 'alpha', phone)).entries.filter((e) => e.type === 'charge');
    expect(charges).toHaveLength(1);
    const certificates = await http<unknown[]>('GET', `${gw.url}/gift-certificates/v1/certificates?paymentId=${id}`, {
      token: shop.token,
    });
    expect(certificates.body).toHaveLength(1);
  });

  it('confirm after confirm and cancel after confirm answer PAYMENT_CONFIRMED without a second effect', async () => {
    const { id, phone } = await reservedPayment(2);
    expect(
      (await http('POST', `${api(gw)}/payments/${id}/confirm`, { token: shop.token, body: { phoneNumber: phone } }))
        .status,
    ).toBe(202);
    const confirmAgain = await http('POST', `${api(gw)}/payments/${id}/confirm`, {
      token: shop.token,
      body: { phoneNumber: phone },
    });
    const cancel = await http('POST', `${api(gw)}/payments/${id}/cancel`, {
      token: shop.token,
      body: { phoneNumber: phone },
    });
    const validate = await http('POST', `${api(gw)}/payments/${id}/validate`, {
      token: shop.token,
      body: { authorizationId: 'x', code: '123456' },
    });
    expect(confirmAgain.body).toMatchObject({ status: 409, code: 'CARRIER_BILLING.PAYMENT_CONFIRMED' });
    expect(cancel.body).toMatchObject({ status: 409, code: 'CARRIER_BILLING.PAYMENT_CONFIRMED' });
    expect(validate.body).toMatchObject({
      status: 409,
      code: 'ALREADY_EXISTS',
      message: 'Payment has been confirmed.',
    });
    expect((await ledger(gw, 'bravo', phone)).entries).toHaveLength(1);
  });

  it('confirm with a phone number other than the payment’s is NOT_FOUND', async () => {
    const { id } = await reservedPayment(1);
    const reply = await http('POST', `${api(gw)}/payments/${id}/confirm`, {
      token: shop.token,
      body: { phoneNumber: phoneNumber(1) },
    });
    expect(reply.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});

describe('retrievePayments', () => {
  it('filters by status, orders by creation and paginates with CAMARA headers', async () => {
    const merchant = await newMerchant(gw, { name: 'List Shop' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await prepare(prepareBody(phoneNumber(1)), merchant.token);
      ids.push(r.body.paymentId as string);
    }
    const cancelledId = ids[0] as string;
    const first = await http('GET', `${api(gw)}/payments/${cancelledId}`, { token: merchant.token });
    await http('POST', `${api(gw)}/payments/${cancelledId}/cancel`, {
      token: merchant.token,
      body: { phoneNumber: first.body.amountTransaction?.phoneNumber },
    });

    const all = await http<Array<{ paymentId: string }>>('GET', `${api(gw)}/payments?order=asc`, {
      token: merchant.token,
    });
    expect(all.body.map((p) => p.paymentId)).toEqual(ids);
    expect(all.headers.get('x-total-count')).toBe('3');

    const page = await http<Array<{ paymentId: string }>>('GET', `${api(gw)}/payments?page=2&perPage=2`, {
      token: merchant.token,
    });
    expect(page.body.map((p) => p.paymentId)).toEqual([ids[0]]);
    expect(page.headers.get('content-last-key')).toBe('3');

    const pending = await http<Array<{ paymentId: string }>>(
      'GET',
      `${api(gw)}/payments?paymentStatus=pending_validation`,
      { token: merchant.token },
    );
    expect(pending.body.map((p) => p.paymentId).sort()).toEqual(ids.slice(1).sort());
    const both = await http<unknown[]>(
      'GET',
      `${api(gw)}/payments?paymentStatus=pending_validation&paymentStatus=cancelled`,
      { token: merchant.token },
    );
    expect(both.body).toHaveLength(3);

    const future = new Date(Date.now() + 3600_000).toISOString();
    expect(
      (
        await http<unknown[]>('GET', `${api(gw)}/payments?paymentCreationDate.lte=2020-01-01T00:00:00Z`, {
          token: merchant.token,
        })
      ).body,
    ).toEqual([]);
    const sinceAnHourAgo = encodeURIComponent(new Date(Date.now() - 3600_000).toISOString());
    expect(
      (
        await http<unknown[]>('GET', `${api(gw)}/payments?paymentCreationDate.gte=${sinceAnHourAgo}`, {
          token: merchant.token,
        })
      ).body,
    ).toHaveLength(3);
    const range = await http(
      'GET',
      `${api(gw)}/payments?paymentCreationDate.gte=${encodeURIComponent(future)}&paymentCreationDate.lte=2020-01-01T00:00:00Z`,
      { token: merchant.token },
    );
    expect(range.body).toMatchObject({ status: 400, code: 'CARRIER_BILLING.INVALID_DATE_RANGE' });
    expect((await http('GET', `${api(gw)}/payments?perPage=1000`, { token: merchant.token })).body).toMatchObject({
      status: 400,
      code: 'OUT_OF_RANGE',
    });
  });
});
