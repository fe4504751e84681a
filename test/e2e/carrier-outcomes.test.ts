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
  type Body,
  type Certificate,
  type Merchant,
} from '../helpers/client.js';
import { startTestGateway, testCarriers, type TestGateway } from '../helpers/gateway.js';
import { until } from '../helpers/wait.js';

let gw: TestGateway;
let shop: Merchant;

const CARRIERS = [
  { id: 'alpha', digit: 1 as const, protocol: 'Parlay X', recovery: 'nothing to ask' },
  { id: 'bravo', digit: 2 as const, protocol: 'Parlay X', recovery: 'recognises references' },
  { id: 'charlie', digit: 3 as const, protocol: 'OneAPI', recovery: 'answers status queries' },
];

beforeAll(async () => {
  gw = await startTestGateway({
    // Charges time out after 600 ms; recovery runs every second and gives up after two tries.
    carriers: testCarriers({ moneyTimeoutMs: 600 }),
    recovery: { schedule: '* * * * * *', pendingGraceSeconds: 1, maxAttempts: 2, retryAfterSeconds: 1 },
    // An alpha-prefixed number that moved to charlie.
    portedNumbers: { '+821019876543': 'charlie' },
  });
  shop = await newMerchant(gw, { name: 'Outcome Shop', oneStepPayments: true });
});
afterAll(async () => gw?.stop());

async function reserved(phone: string) {
  const prepared = await http('POST', `${api(gw)}/payments/prepare`, {
    token: shop.token,
    body: prepareBody(phone, { amount: 2500 }),
  });
  expect(prepared.status).toBe(201);
  const id = prepared.body.paymentId as string;
  const validated = await http('POST', `${api(gw)}/payments/${id}/validate`, {
    token: shop.token,
    body: { authorizationId: prepared.body.validationInfo?.authorizationId, code: await latestCode(gw, phone) },
  });
  expect(validated.status).toBe(204);
  return id;
}

const confirm = (id: string, phone: string) =>
  http('POST', `${api(gw)}/payments/${id}/confirm`, { token: shop.token, body: { phoneNumber: phone } });
const status = async (id: string) =>
  (await http('GET', `${api(gw)}/payments/${id}`, { token: shop.token })).body.paymentStatus;
const timeline = async (id: string) =>
  (await http('GET', `${gw.url}/admin/v1/payments/${id}`, { token: gw.operatorToken })).body;
const certificates = async (id: string) =>
  (
    await http<Certificate[]>('GET', `${gw.url}/gift-certificates/v1/certificates?paymentId=${id}`, {
      token: shop.token,
    })
  ).body;
const charges = async (carrier: string, phone: string) =>
  (await ledger(gw, carrier, phone)).entries.filter((e) => e.type === 'charge');

describe.each(CARRIERS)('$id ($protocol)', ({ id: carrier, digit }) => {
  it('charges a validated payment once, issues a certificate and texts both messages', async () => {
    const phone = phoneNumber(digit);
    const payment = await reserved(phone);
    expect((await confirm(payment, phone)).status).toBe(202);
    expect(await status(payment)).toBe('succeeded');
    expect(await charges(carrier, phone)).toMatchObject([{ amount: 2500, currency: 'KRW' }]);
    expect(await certificates(payment)).toHaveLength(1);
    expect((await inbox(gw, phone)).map((s) => s.text)).toEqual([
      expect.stringContaining('Code:'),
      expect.stringContaining('gift certificate'),
    ]);
  });

  it('declines by the carrier reach the merchant with CAMARA codes', async () => {
    const insufficient = await http('POST', `${api(gw)}/payments/prepare`, {
      token: shop.token,
      body: prepareBody(phoneNumber(digit, '9901')),
    });
    expect(insufficient.body).toMatchObject({ status: 403, code: 'CARRIER_BILLING.PAYMENT_DENIED' });
    const limit = await http('POST', `${api(gw)}/payments/prepare`, {
      token: shop.token,
      body: prepareBody(phoneNumber(digit, '9903')),
    });
    expect(limit.body).toMatchObject({ status: 422, code: 'CARRIER_BILLING.USER_AMOUNT_THRESHOLD_OVERPASSED' });
  });

  it('retries what was not executed (9906) with the same reference and charges once', async () => {
    const phone = phoneNumber(digit, '9906');
    const payment = await reserved(phone);
    expect((await confirm(payment, phone)).status).toBe(202);
    expect(await status(payment)).toBe('succeeded');
    expect(await charges(carrier, phone)).toHaveLength(1);
    const ops = (await timeline(payment)).operations ?? [];
    expect(ops.find((o) => o.operation === 'charge_reservation')).toMatchObject({ outcome: 'succeeded', tries: 2 });
  });

  it('an SMS the carrier accepts but never delivers (9907) does not stop the payment', async () => {
    const phone = phoneNumber(digit, '9907');
    const prepared = await http('POST', `${api(gw)}/payments/prepare`, { token: shop.token, body: prepareBody(phone) });
    expect(prepared.body.paymentStatus).toBe('pending_validation');
    expect(await inbox(gw, phone)).toHaveLength(0);
  });
});

describe('a charge applied but never answered (9904)', () => {
  it('bravo: recovery re-sends the same reference, the carrier recognises it, the certificate comes late', async () => {
    const phone = phoneNumber(2, '9904');
    const payment = await reserved(phone);
    expect((await confirm(payment, phone)).status).toBe(202);
    expect(await status(payment)).toBe('processing');
    expect(await certificates(payment)).toHaveLength(0);
    expect(
      await until(
        () => status(payment),
        (s) => s === 'succeeded',
      ),
    ).toBe('succeeded');
    expect(await charges('bravo', phone)).toHaveLength(1);
    expect(await certificates(payment)).toHaveLength(1);
    expect(
      (
        await until(
          () => inbox(gw, phone),
          (m) => m.length === 2,
        )
      ).at(-1)?.text,
    ).toContain('gift certificate');
    expect((await timeline(payment)).timeline?.map((e) => e.event)).toEqual(
      expect.arrayContaining(['charge_outcome_unknown', 'charged']),
    );
  });

  it('charlie: recovery asks the status query and settles the payment as succeeded', async () => {
    const phone = phoneNumber(3, '9904');
    const payment = await reserved(phone);
    expect((await confirm(payment, phone)).status).toBe(202);
    expect(
      await until(
        () => status(payment),
        (s) => s === 'succeeded',
      ),
    ).toBe('succeeded');
    expect(await charges('charlie', phone)).toHaveLength(1);
    expect(await certificates(payment)).toHaveLength(1);
  });

  it('alpha: nothing can tell, so after the last try the payment waits in manual review, never denied', async () => {
    const phone = phoneNumber(1, '9904');
    const payment = await reserved(phone);
    expect((await confirm(payment, phone)).status).toBe(202);
    const review = await until(
      async () =>
        (await http('GET', `${gw.url}/admin/v1/payments?status=manual_review`, { token: gw.operatorToken })).body,
      (b: Body) => (b.payments ?? []).some((p) => p.paymentId === payment),
    );
    expect((review.payments ?? []).map((p) => p.paymentId)).toContain(payment);
    expect(await status(payment)).toBe('processing');
    expect(await charges('alpha', phone)).toHaveLength(1);
    expect(await certificates(payment)).toHaveLength(0);
    // Its reservation is charged or lapses at the carrier, and is not released: the trail says so.
    expect((await timeline(payment)).timeline?.map((e) => e.event)).toContain('reservation_left_to_lapse');
  });
});

describe('a charge never answered and never applied (9905)', () => {
  it('bravo: the re-sent reference is applied once and the payment succeeds', async () => {
    const phone = phoneNumber(2, '9905');
    const payment = await reserved(phone);
    await confirm(payment, phone);
    expect(
      await until(
        () => status(payment),
        (s) => s === 'succeeded',
      ),
    ).toBe('succeeded');
    expect(await charges('bravo', phone)).toHaveLength(1);
  });

  it('charlie: the status query says not charged, so the payment is denied and the reservation released', async () => {
    const phone = phoneNumber(3, '9905');
    const payment = await reserved(phone);
    await confirm(payment, phone);
    expect(
      await until(
        () => status(payment),
        (s) => s === 'denied',
      ),
    ).toBe('denied');
    expect(await charges('charlie', phone)).toHaveLength(0);
    expect(
      (
        await until(
          () => ledger(gw, 'charlie', phone),
          (l) => l.openReservations.length === 0,
        )
      ).openReservations,
    ).toHaveLength(0);
  });

  it('alpha: manual review, nothing was charged, and an operator settles it as not charged', async () => {
    const phone = phoneNumber(1, '9905');
    const payment = await reserved(phone);
    await confirm(payment, phone);
    await until(
      async () => String((await timeline(payment)).status),
      (s) => s === 'manual_review',
    );
    expect(String((await timeline(payment)).status)).toBe('manual_review');
    expect(await charges('alpha', phone)).toHaveLength(0);

    const settled = await http('POST', `${gw.url}/admin/v1/payments/${payment}/settle`, {
      token: gw.operatorToken,
      body: { verdict: 'not_charged', note: 'alpha ops desk: no charge on 9905' },
    });
    expect(settled.status).toBe(200);
    expect(await status(payment)).toBe('denied');
    expect(
      (
        await until(
          () => ledger(gw, 'alpha', phone),
          (l) => l.openReservations.length === 0,
        )
      ).openReservations,
    ).toHaveLength(0);
    expect((await timeline(payment)).timeline?.map((e) => e.event)).toContain('settled_by_operator');
    const again = await http('POST', `${gw.url}/admin/v1/payments/${payment}/settle`, {
      token: gw.operatorToken,
      body: { verdict: 'charged', note: 'x' },
    });
    expect(again.body).toMatchObject({ status: 409, code: 'ALREADY_EXISTS' });
  });
});

describe('routing', () => {
  it('follows number portability over the prefix', async () => {
    const phone = '+821019876543';
    const payment = await reserved(phone);
    expect((await confirm(payment, phone)).status).toBe(202);
    expect(await charges('charlie', phone)).toHaveLength(1);
    expect(await charges('alpha', phone)).toHaveLength(0);
  });
});

describe('one-step payments with an unknown outcome', () => {
  it('answer processing at once and settle through recovery (charlie)', async () => {
    const phone = phoneNumber(3, '9904');
    const created = await http('POST', `${api(gw)}/payments`, {
      token: shop.token,
      body: prepareBody(phone, { amount: 700 }),
    });
    expect(created.status).toBe(201);
    expect(created.body.paymentStatus).toBe('processing');
    const payment = created.body.paymentId as string;
    expect(
      await until(
        () => status(payment),
        (s) => s === 'succeeded',
      ),
    ).toBe('succeeded');
    expect(await charges('charlie', phone)).toMatchObject([{ amount: 700 }]);
    expect(await certificates(payment)).toHaveLength(1);
  });
});
