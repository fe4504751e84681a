import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
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
import { until } from '../helpers/wait.js';

/**
 * Issue 15, part 3: CAMARA's asynchronous behaviour as a merchant setting (`completionMode`):
 * createPayment, preparePayment and createRefund answer `processing` at once and finish in the
 * background (create_payment_13_async_behaviour, prepare_payment_14_async_behaviour,
 * create_refund_12_async_behaviour); merchants left `sync`
 * keep the synchronous answers.
 */
let gw: TestGateway;
let shop: Merchant;
const PAY = () => `${gw.url}/carrier-billing/v0.5/payments`;
const REFUNDS = () => `${gw.url}/carrier-billing-refund/v0.3/payments`;

beforeAll(async () => {
  gw = await startTestGateway();
  shop = await newMerchant(gw, { name: 'Async Shop', oneStepPayments: true });
  const patched = await http('PATCH', `${gw.url}/admin/v1/merchants/${shop.merchantId}`, {
    token: gw.operatorToken,
    body: { completionMode: 'async' },
  });
  expect(patched.body).toMatchObject({ completionMode: 'async' });
});
afterAll(async () => gw?.stop());

describe('asynchronous completion', () => {
  it('answers createPayment and createRefund processing at once, and finishes them in the background', async () => {
    const phone = phoneNumber(3);
    const created = await http('POST', PAY(), { token: shop.token, body: prepareBody(phone, { amount: 2_500 }) });
    expect(created.status).toBe(201);
    expect(created.body.paymentStatus).toBe('processing');
    const id = created.body.paymentId as string;
    const paid = await until(
      () => http('GET', `${PAY()}/${id}`, { token: shop.token }),
      (r) => r.body.paymentStatus === 'succeeded',
    );
    expect(paid.body.paymentStatus).toBe('succeeded');
    expect((await ledger(gw, 'charlie', phone)).entries.filter((e) => e.type === 'charge')).toHaveLength(1);

    const refund = await http('POST', `${REFUNDS()}/${id}/refunds`, {
      token: shop.token,
      body: { type: 'total', amountTransaction: { referenceCode: `async-refund-${id}`, refundAmount: {} } },
    });
    expect(refund.status).toBe(201);
    expect(refund.body.refundStatus).toBe('processing');
    const done = await until(
      () => http('GET', `${REFUNDS()}/${id}/refunds/${refund.body.refundId as string}`, { token: shop.token }),
      (r) => r.body.refundStatus === 'succeeded',
    );
    expect(done.body.refundStatus).toBe('succeeded');
    expect((await ledger(gw, 'charlie', phone)).entries.filter((e) => e.type === 'refund')).toHaveLength(1);
  });

  it("ends a charge the carrier refuses denied, still the merchant's to read (it holds the id)", async () => {
    const created = await http('POST', PAY(), { token: shop.token, body: prepareBody(phoneNumber(3, '9901')) });
    expect(created.body.paymentStatus).toBe('processing');
    const ended = await until(
      () => http('GET', `${PAY()}/${created.body.paymentId as string}`, { token: shop.token }),
      (r) => r.body.paymentStatus !== 'processing',
    );
    expect(ended.status).toBe(200);
    expect(ended.body.paymentStatus).toBe('denied');
  });

  it('answers preparePayment processing at once with the validation info; the code follows, and validates', async () => {
    const phone = phoneNumber(3);
    const body = prepareBody(phone);
    const prepared = await http('POST', `${PAY()}/prepare`, { token: shop.token, body });
    expect(prepared.status).toBe(201);
    expect(prepared.body.paymentStatus).toBe('processing');
    const authorizationId = prepared.body.validationInfo?.authorizationId;
    expect(authorizationId).toEqual(expect.any(String));
    const id = prepared.body.paymentId as string;
    const pending = await until(
      () => http('GET', `${PAY()}/${id}`, { token: shop.token }),
      (r) => r.body.paymentStatus !== 'processing',
    );
    expect(pending.body.paymentStatus).toBe('pending_validation');
    const validated = await http('POST', `${PAY()}/${id}/validate`, {
      token: shop.token,
      body: { authorizationId, code: await latestCode(gw, phone) },
    });
    expect(validated.status).toBe(204);
    // The same request again is the same payment, as it is now.
    const again = await http('POST', `${PAY()}/prepare`, { token: shop.token, body });
    expect(again.body).toMatchObject({ paymentId: id, paymentStatus: 'reserved' });
  });

  it('ends a reservation the carrier refuses denied, not rejected: the merchant holds the id, and sees it', async () => {
    const phone = phoneNumber(3, '9902');
    const prepared = await http('POST', `${PAY()}/prepare`, { token: shop.token, body: prepareBody(phone) });
    expect(prepared.body.paymentStatus).toBe('processing');
    const ended = await until(
      () => http('GET', `${PAY()}/${prepared.body.paymentId as string}`, { token: shop.token }),
      (r) => r.body.paymentStatus !== 'processing',
    );
    expect(ended.body.paymentStatus).toBe('denied');
    expect(await inbox(gw, phone)).toHaveLength(0);
    const listed = await http<Array<{ paymentId: string }>>('GET', `${PAY()}?paymentStatus=denied`, {
      token: shop.token,
    });
    expect(listed.body.map((p) => p.paymentId)).toContain(prepared.body.paymentId);
  });

  it('keeps a sync merchant synchronous', async () => {
    const sync = await newMerchant(gw, { name: 'Sync Shop', oneStepPayments: true });
    const created = await http('POST', PAY(), {
      token: sync.token,
      body: prepareBody(phoneNumber(3), { amount: 1_000 }),
    });
    expect(created.body.paymentStatus).toBe('succeeded');
  });

  it('refuses a completion mode it does not know', async () => {
    const reply = await http('PATCH', `${gw.url}/admin/v1/merchants/${shop.merchantId}`, {
      token: gw.operatorToken,
      body: { completionMode: 'eventually' },
    });
    expect(reply.body).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' });
  });
});
