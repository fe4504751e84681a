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
  prepareWithHost,
  type Certificate,
  type Merchant,
} from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
let shop: Merchant;

beforeAll(async () => {
  gw = await startTestGateway();
  shop = await newMerchant(gw, { name: 'Melon Books' });
});
afterAll(async () => gw?.stop());

async function prepare(phone: string, body = prepareBody(phone)) {
  return http('POST', `${api(gw)}/payments/prepare`, { token: shop.token, body });
}

async function validate(id: string, authorizationId: string, code: string) {
  return http('POST', `${api(gw)}/payments/${id}/validate`, { token: shop.token, body: { authorizationId, code } });
}

describe('two-step purchase', () => {
  it('reserves, texts a code, validates, charges once and issues one gift certificate', async () => {
    const phone = phoneNumber(1);
    const prepared = await prepare(phone, prepareBody(phone, { amount: 15000, description: 'Book voucher' }));
    expect(prepared.status).toBe(201);
    expect(prepared.body.paymentStatus).toBe('pending_validation');
    expect(prepared.body.validationInfo?.action).toBe('validate');
    const id = prepared.body.paymentId as string;

    const [consent] = await inbox(gw, phone);
    expect(consent?.text).toMatch(
      /^Melon Books asks to bill 15,000 KRW to your phone bill for Book voucher\. Code: \d{6}\. Valid 5 minutes\.$/,
    );
    expect((await ledger(gw, 'alpha', phone)).openReservations).toHaveLength(1);

    const validated = await validate(
      id,
      prepared.body.validationInfo?.authorizationId as string,
      await latestCode(gw, phone),
    );
    expect(validated.status).toBe(204);
    expect((await http('GET', `${api(gw)}/payments/${id}`, { token: shop.token })).body.paymentStatus).toBe('reserved');

    const confirmed = await http('POST', `${api(gw)}/payments/${id}/confirm`, {
      token: shop.token,
      body: { phoneNumber: phone },
    });
    expect(confirmed.status).toBe(202);

    const payment = await http('GET', `${api(gw)}/payments/${id}`, { token: shop.token });
    expect(payment.body.paymentStatus).toBe('succeeded');
    expect(payment.body.paymentDate).toBeDefined();
    expect(payment.body.amountTransaction?.paymentAmount.chargingInformation.amount).toBe(15000);

    const books = await ledger(gw, 'alpha', phone);
    expect(books.entries.filter((e) => e.type === 'charge')).toHaveLength(1);
    expect(books.entries[0]?.amount).toBe(15000);
    expect(books.openReservations).toHaveLength(0);

    const certificates = await http<Certificate[]>(
      'GET',
      `${gw.url}/gift-certificates/v1/certificates?paymentId=${id}`,
      { token: shop.token },
    );
    expect(certificates.status).toBe(200);
    expect(certificates.headers.get('cache-control')).toBe('no-store'); // it carries the gift code
    expect(certificates.body).toHaveLength(1);
    const [certificate] = certificates.body;
    expect(certificate?.code).toMatch(
      /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-Z*~$=]$/,
    );
    expect(certificate?.faceValue).toEqual({ amount: 15000, currency: 'KRW' });
    expect(certificate?.balance).toEqual({ amount: 15000, currency: 'KRW' });
    expect(certificate?.status).toBe('active');

    const texts = (await inbox(gw, phone)).map((s) => s.text);
    expect(texts).toHaveLength(2);
    expect(texts[1]).toBe(
      `Melon Books: your gift certificate for 15,000 KRW is ${certificate?.code}. Valid until ${certificate?.expiresAt.slice(0, 10)}.`,
    );

    const single = await http<Certificate>(
      'GET',
      `${gw.url}/gift-certificates/v1/certificates/${certificate?.certificateId}`,
      { token: shop.token },
    );
    expect(single.body.code).toBe(certificate?.code);
  });

  it('keeps an audit trail of every state change with the SMS texts, never the codes', async () => {
    const phone = phoneNumber(2);
    const prepared = await prepare(phone);
    const id = prepared.body.paymentId as string;
    const code = await latestCode(gw, phone);
    await validate(id, prepared.body.validationInfo?.authorizationId as string, code);
    await http('POST', `${api(gw)}/payments/${id}/confirm`, { token: shop.token, body: { phoneNumber: phone } });

    const timeline = await http('GET', `${gw.url}/admin/v1/payments/${id}`, { token: gw.operatorToken });
    const events = timeline.body.timeline ?? [];
    expect(events.map((e) => e.event)).toEqual([
      'prepare_requested',
      'code_sent',
      'code_validated',
      'confirm_requested',
      'charged',
    ]);
    expect(events[1]?.smsText).toMatch(/Code: \*{6}\. Valid 5 minutes\.$/);
    expect(events[4]?.smsText).toMatch(/is \*{21}\. Valid until/);
    expect(JSON.stringify(timeline.body)).not.toContain(code);
  });

  it('cancel releases the reservation at the carrier', async () => {
    const phone = phoneNumber(2);
    const prepared = await prepare(phone);
    const id = prepared.body.paymentId as string;
    expect((await ledger(gw, 'bravo', phone)).openReservations).toHaveLength(1);

    const cancelled = await http('POST', `${api(gw)}/payments/${id}/cancel`, {
      token: shop.token,
      body: { phoneNumber: phone },
    });
    expect(cancelled.status).toBe(202);
    expect((await http('GET', `${api(gw)}/payments/${id}`, { token: shop.token })).body.paymentStatus).toBe(
      'cancelled',
    );
    const books = await ledger(gw, 'bravo', phone);
    expect(books.openReservations).toHaveLength(0);
    expect(books.entries).toHaveLength(0);

    const again = await http('POST', `${api(gw)}/payments/${id}/cancel`, {
      token: shop.token,
      body: { phoneNumber: phone },
    });
    expect(again.body).toMatchObject({ status: 409, code: 'CARRIER_BILLING.PAYMENT_CANCELLED' });
    const confirm = await http('POST', `${api(gw)}/payments/${id}/confirm`, {
      token: shop.token,
      body: { phoneNumber: phone },
    });
    expect(confirm.body).toMatchObject({ status: 409, code: 'CARRIER_BILLING.PAYMENT_CANCELLED' });
  });

  it.each([
    ['9901', 403, 'CARRIER_BILLING.PAYMENT_DENIED', 'insufficient credit'],
    ['9902', 403, 'CARRIER_BILLING.PAYMENT_DENIED', 'barred'],
    ['9903', 422, 'CARRIER_BILLING.USER_AMOUNT_THRESHOLD_OVERPASSED', 'threshold'],
  ])(
    'a carrier decline (%s) answers %s %s, creates no payment and sends no SMS',
    async (suffix, status, code, reason) => {
      const phone = phoneNumber(1, suffix);
      const refused = await prepare(phone);
      expect(refused.status).toBe(status);
      expect(refused.body.code).toBe(code);
      expect(refused.body.message).toContain(reason);
      expect(refused.body.paymentId).toBeUndefined();
      expect(await inbox(gw, phone)).toHaveLength(0);
      const listed = await http<unknown[]>('GET', `${api(gw)}/payments?perPage=100`, { token: shop.token });
      expect(JSON.stringify(listed.body)).not.toContain(phone);
    },
  );
});

describe('consent code rules', () => {
  it('five wrong codes deny the payment and release the reservation', async () => {
    const phone = phoneNumber(1);
    const prepared = await prepare(phone);
    const id = prepared.body.paymentId as string;
    const auth = prepared.body.validationInfo?.authorizationId as string;
    const right = await latestCode(gw, phone);
    const wrong = right === '000000' ? '111111' : '000000';

    for (let attempt = 1; attempt <= 4; attempt++) {
      const reply = await validate(id, auth, wrong);
      expect(reply.body).toMatchObject({ status: 400, code: 'CARRIER_BILLING.INVALID_CODE' });
    }
    const last = await validate(id, auth, wrong);
    expect(last.body).toMatchObject({ status: 400, code: 'CARRIER_BILLING.VALIDATION_FAILED' });
    expect((await http('GET', `${api(gw)}/payments/${id}`, { token: shop.token })).body.paymentStatus).toBe('denied');
    expect((await ledger(gw, 'alpha', phone)).openReservations).toHaveLength(0);

    const late = await validate(id, auth, right);
    expect(late.body).toMatchObject({ status: 400, code: 'CARRIER_BILLING.VALIDATION_FAILED' });
    const confirm = await http('POST', `${api(gw)}/payments/${id}/confirm`, {
      token: shop.token,
      body: { phoneNumber: phone },
    });
    expect(confirm.body).toMatchObject({ status: 403, code: 'CARRIER_BILLING.PAYMENT_DENIED' });
  });

  it('a wrong authorizationId is refused without counting as a try', async () => {
    const phone = phoneNumber(1);
    const prepared = await prepare(phone);
    const id = prepared.body.paymentId as string;
    const auth = prepared.body.validationInfo?.authorizationId as string;
    const right = await latestCode(gw, phone);
    for (let i = 0; i < 6; i++) {
      const reply = await validate(id, 'not-the-id', right);
      expect(reply.body).toMatchObject({ status: 400, code: 'CARRIER_BILLING.INVALID_AUTHORIZATION_ID' });
    }
    // Four wrong codes still leave the fifth try: the six wrong ids above were not counted.
    for (let i = 0; i < 4; i++)
      expect((await validate(id, auth, right === '000000' ? '111111' : '000000')).body.code).toBe(
        'CARRIER_BILLING.INVALID_CODE',
      );
    const ok = await validate(id, auth, right);
    expect(ok.status).toBe(204);
    const twice = await validate(
      id,
      prepared.body.validationInfo?.authorizationId as string,
      await latestCode(gw, phone),
    );
    expect(twice.body).toMatchObject({ status: 409, code: 'ALREADY_EXISTS' });
  });

  it('a resend replaces the code, and a payment gets at most three codes', async () => {
    const phone = phoneNumber(2);
    const prepared = await prepare(phone);
    const id = prepared.body.paymentId as string;
    const first = await latestCode(gw, phone);

    const resent = await http('POST', `${api(gw)}/payments/${id}/resend-code`, { token: shop.token });
    expect(resent.status).toBe(202);
    expect(resent.body).toMatchObject({ codesSent: 2, codesLeft: 1 });
    const second = await latestCode(gw, phone);
    expect(await inbox(gw, phone)).toHaveLength(2);

    expect((await http('POST', `${api(gw)}/payments/${id}/resend-code`, { token: shop.token })).status).toBe(202);
    const fourth = await http('POST', `${api(gw)}/payments/${id}/resend-code`, { token: shop.token });
    expect(fourth.body).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
    expect(await inbox(gw, phone)).toHaveLength(3);

    const third = await latestCode(gw, phone);
    const auth = prepared.body.validationInfo?.authorizationId as string;
    // Each send is a new code (a repeat of six random digits is a one-in-a-million event).
    expect(new Set([first, second, third]).size).toBe(3);
    expect((await validate(id, auth, first)).body.code).toBe('CARRIER_BILLING.INVALID_CODE');
    expect((await validate(id, auth, second)).body.code).toBe('CARRIER_BILLING.INVALID_CODE');
    expect((await validate(id, auth, third)).status).toBe(204);
  });

  it('refuses to confirm a payment before its code is validated', async () => {
    const phone = phoneNumber(1);
    const prepared = await prepare(phone);
    const reply = await http('POST', `${api(gw)}/payments/${prepared.body.paymentId}/confirm`, {
      token: shop.token,
      body: { phoneNumber: phone },
    });
    expect(reply.body).toMatchObject({ status: 403, code: 'PERMISSION_DENIED' });
    expect((await ledger(gw, 'alpha', phone)).entries).toHaveLength(0);
  });
});

describe('SMS pumping guard', () => {
  it('sends at most ten codes an hour to one phone number, then answers 429 without reserving', async () => {
    const phone = phoneNumber(1);
    for (let i = 0; i < 10; i++) expect((await prepare(phone)).status).toBe(201);
    const refused = await prepare(phone);
    expect(refused.body).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
    expect(await inbox(gw, phone)).toHaveLength(10);
    expect((await ledger(gw, 'alpha', phone)).openReservations).toHaveLength(10);
  });
});

describe('merchant isolation and one-step payments', () => {
  it("a merchant cannot see or touch another merchant's payment", async () => {
    const other = await newMerchant(gw, { name: 'Other Shop' });
    const phone = phoneNumber(1);
    const prepared = await prepare(phone);
    const id = prepared.body.paymentId as string;
    for (const [method, path, body] of [
      ['GET', `/payments/${id}`, undefined],
      ['POST', `/payments/${id}/validate`, { authorizationId: 'x', code: '123456' }],
      ['POST', `/payments/${id}/confirm`, { phoneNumber: phone }],
      ['POST', `/payments/${id}/cancel`, { phoneNumber: phone }],
      ['POST', `/payments/${id}/resend-code`, undefined],
    ] as const) {
      const reply = await http(method, `${api(gw)}${path}`, { token: other.token, body });
      expect(reply.body, `${method} ${path}`).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    }
    const list = await http<unknown[]>('GET', `${api(gw)}/payments`, { token: other.token });
    expect(list.body).toEqual([]);

    await validate(id, prepared.body.validationInfo?.authorizationId as string, await latestCode(gw, phone));
    expect(
      (await http('POST', `${api(gw)}/payments/${id}/confirm`, { token: shop.token, body: { phoneNumber: phone } }))
        .status,
    ).toBe(202);
    const mine = await http<Certificate[]>('GET', `${gw.url}/gift-certificates/v1/certificates?paymentId=${id}`, {
      token: shop.token,
    });
    expect(mine.body).toHaveLength(1);
    const theirs = await http('GET', `${gw.url}/gift-certificates/v1/certificates?paymentId=${id}`, {
      token: other.token,
    });
    expect(theirs.body).toEqual([]);
    const byId = await http('GET', `${gw.url}/gift-certificates/v1/certificates/${mine.body[0]?.certificateId}`, {
      token: other.token,
    });
    expect(byId.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('charges in one step for a merchant allowed to, and refuses the others', async () => {
    const oneStep = await newMerchant(gw, { name: 'Instant Games', oneStepPayments: true });
    const phone = phoneNumber(2);
    const created = await http('POST', `${api(gw)}/payments`, {
      token: oneStep.token,
      body: prepareBody(phone, { amount: 3300 }),
    });
    expect(created.status).toBe(201);
    expect(created.body.paymentStatus).toBe('succeeded');
    const books = await ledger(gw, 'bravo', phone);
    expect(books.entries).toMatchObject([{ type: 'charge', amount: 3300 }]);
    const certificates = await http<Certificate[]>(
      'GET',
      `${gw.url}/gift-certificates/v1/certificates?paymentId=${created.body.paymentId}`,
      { token: oneStep.token },
    );
    expect(certificates.body).toHaveLength(1);
    expect(await inbox(gw, phone)).toHaveLength(1);

    const refused = await http('POST', `${api(gw)}/payments`, { token: shop.token, body: prepareBody(phoneNumber(2)) });
    expect(refused.body).toMatchObject({ status: 403, code: 'PERMISSION_DENIED' });
  });

  it('a declined one-step charge creates no payment', async () => {
    const oneStep = await newMerchant(gw, { name: 'Instant Games 2', oneStepPayments: true });
    const phone = phoneNumber(1, '9901');
    const refused = await http('POST', `${api(gw)}/payments`, { token: oneStep.token, body: prepareBody(phone) });
    expect(refused.body).toMatchObject({ status: 403, code: 'CARRIER_BILLING.PAYMENT_DENIED' });
    expect((await http<unknown[]>('GET', `${api(gw)}/payments`, { token: oneStep.token })).body).toEqual([]);
  });
});

describe('confirmation links', () => {
  it("point at the gateway's own address when PUBLIC_URL is unset (the demo), whatever the Host header", async () => {
    const open = await newMerchant(gw, { name: 'Open Page Demo', validationMode: 'open' });
    const body = await prepareWithHost(gw, open.token, 'pay.evil.example');
    expect(String((body.validationInfo as { validationURL?: string }).validationURL)).toMatch(
      new RegExp(`^${gw.url.replace(/\./g, '\\.')}/pay/[\\w-]{43}$`),
    );
  });
});
