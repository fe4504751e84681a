import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  http,
  inbox,
  latestCode,
  ledger,
  newMerchant,
  phoneNumber,
  prepareBody,
  type Body,
  type Merchant,
} from '../helpers/client.js';
import { runCli } from '../helpers/cli.js';
import { startTestGateway, testCarriers, type TestGateway } from '../helpers/gateway.js';

/**
 * Issue 16, part 1: stored consents (CONTRACTS §6). The phone user confirms once by SMS code; the
 * merchant then charges without a code, within the caps (checked under the spending limits' lock),
 * and every such charge's SMS says how to stop.
 */
let gw: TestGateway;
let shop: Merchant;
const CONSENTS = () => `${gw.url}/consents/v1/consents`;
const PAY = () => `${gw.url}/carrier-billing/v0.5/payments`;

beforeAll(async () => {
  gw = await startTestGateway({
    carriers: testCarriers({ monthlyLimitMinor: 100_000 }),
    limits: { maxPaymentMinor: 50_000 },
  });
  shop = await newMerchant(gw, { name: 'Comics Weekly' });
});
afterAll(async () => gw?.stop());

const won = (amount: number) => ({ amount, currency: 'KRW' });

/** A consent asked for and confirmed with the SMS code; its id. */
async function activeConsent(phone: string, caps: { perCharge: number; perMonth?: number }, m: Merchant = shop) {
  const asked = await http('POST', CONSENTS(), {
    token: m.token,
    body: {
      phoneNumber: phone,
      description: 'Weekly comics',
      maxAmountPerCharge: won(caps.perCharge),
      ...(caps.perMonth ? { maxAmountPerMonth: won(caps.perMonth) } : {}),
    },
  });
  expect(asked.status).toBe(201);
  const validated = await http('POST', `${CONSENTS()}/${String(asked.body.consentId)}/validate`, {
    token: m.token,
    body: { authorizationId: asked.body.validationInfo?.authorizationId, code: await latestCode(gw, phone) },
  });
  expect(validated.body.status).toBe('active');
  return String(asked.body.consentId);
}

const charge = (phone: string, amount: number, m: Merchant = shop) =>
  http('POST', PAY(), { token: m.token, body: prepareBody(phone, { amount }) });

describe('a standing consent', () => {
  it('lets the merchant charge without a code within its caps, each charge texting how to stop, until it is revoked', async () => {
    const phone = phoneNumber(1);
    // Without a consent, a merchant without one-step payments may not charge at once.
    expect((await charge(phone, 1_000)).body).toMatchObject({ status: 403, code: 'PERMISSION_DENIED' });

    const asked = await http('POST', CONSENTS(), {
      token: shop.token,
      body: {
        phoneNumber: phone,
        description: 'Weekly comics',
        maxAmountPerCharge: won(5_000),
        maxAmountPerMonth: won(12_000),
      },
    });
    expect(asked.body).toMatchObject({ status: 'pending_validation', validationInfo: { action: 'validate' } });
    const request = (await inbox(gw, phone)).at(-1)?.text ?? '';
    expect(request).toContain('Comics Weekly');
    expect(request).toContain('5,000 KRW a charge and 12,000 KRW a month');
    const id = String(asked.body.consentId);
    const active = await http('POST', `${CONSENTS()}/${id}/validate`, {
      token: shop.token,
      body: { authorizationId: asked.body.validationInfo?.authorizationId, code: await latestCode(gw, phone) },
    });
    expect(active.body).toMatchObject({ consentId: id, status: 'active' });

    const first = await charge(phone, 3_000);
    expect(first.body.paymentStatus).toBe('succeeded');
    const receipt = (await inbox(gw, phone)).at(-1)?.text ?? '';
    expect(receipt).toContain('3,000 KRW');
    expect(receipt).toContain('reply STOP');

    // preparePayment under the consent: reserved at once, no validation info (prepare_payment_12).
    const prepared = await http('POST', `${PAY()}/prepare`, {
      token: shop.token,
      body: prepareBody(phone, { amount: 3_000 }),
    });
    expect(prepared.body.paymentStatus).toBe('reserved');
    expect(prepared.body).not.toHaveProperty('validationInfo');
    const smsBefore = (await inbox(gw, phone)).length;
    expect(
      (
        await http('POST', `${PAY()}/${String(prepared.body.paymentId)}/confirm`, {
          token: shop.token,
          body: { phoneNumber: phone },
        })
      ).status,
    ).toBe(202);
    expect((await inbox(gw, phone)).length).toBe(smsBefore + 1);

    expect((await charge(phone, 3_000)).body.paymentStatus).toBe('succeeded');
    // 9,000 charged: 4,000 more is over the month's 12,000; 6,000 is over a charge's 5,000.
    expect((await charge(phone, 4_000)).body).toMatchObject({ status: 403, code: 'CARRIER_BILLING.PAYMENT_DENIED' });
    expect((await charge(phone, 6_000)).body).toMatchObject({ status: 403, code: 'CARRIER_BILLING.PAYMENT_DENIED' });
    expect((await charge(phone, 3_000)).body.paymentStatus).toBe('succeeded');

    const admin = await http('GET', `${gw.url}/admin/v1/payments/${String(first.body.paymentId)}`, {
      token: gw.operatorToken,
    });
    expect(admin.body.consentId).toBe(id);

    const revoked = await http('DELETE', `${CONSENTS()}/${id}`, { token: shop.token });
    expect(revoked.body).toMatchObject({ status: 'revoked' });
    expect((await charge(phone, 1_000)).body).toMatchObject({ status: 403, code: 'PERMISSION_DENIED' });
    const askedAgain = await http('POST', `${PAY()}/prepare`, {
      token: shop.token,
      body: prepareBody(phone, { amount: 1_000 }),
    });
    expect(askedAgain.body.paymentStatus).toBe('pending_validation');
    expect((await ledger(gw, 'alpha', phone)).entries.filter((e) => e.type === 'charge')).toHaveLength(4);
  });

  it('holds its caps exactly under 20 concurrent charges', async () => {
    const phone = phoneNumber(2);
    await activeConsent(phone, { perCharge: 1_000, perMonth: 10_000 });
    const replies = await Promise.all(Array.from({ length: 20 }, () => charge(phone, 1_000)));
    const succeeded = replies.filter((r) => r.body.paymentStatus === 'succeeded');
    expect(succeeded).toHaveLength(10);
    expect(replies.filter((r) => r.body.code === 'CARRIER_BILLING.PAYMENT_DENIED')).toHaveLength(10);
    expect((await ledger(gw, 'bravo', phone)).entries.filter((e) => e.type === 'charge')).toHaveLength(10);
  });

  it("is the merchant's own: another merchant can neither read it nor charge under it", async () => {
    const phone = phoneNumber(1);
    const id = await activeConsent(phone, { perCharge: 2_000 });
    const other = await newMerchant(gw, { name: 'Other Shop' });
    expect((await http('GET', `${CONSENTS()}/${id}`, { token: other.token })).status).toBe(404);
    expect((await charge(phone, 1_000, other)).body.code).toBe('PERMISSION_DENIED');
    const mine = await http<Body[]>('GET', `${CONSENTS()}?phoneNumber=${encodeURIComponent(phone)}`, {
      token: shop.token,
    });
    expect(mine.body.map((c) => c.consentId)).toEqual([id]);
  });

  it('a new consent replaces the one in force when it is confirmed', async () => {
    const phone = phoneNumber(1);
    const first = await activeConsent(phone, { perCharge: 1_000 });
    const second = await activeConsent(phone, { perCharge: 3_000 });
    expect((await http('GET', `${CONSENTS()}/${first}`, { token: shop.token })).body.status).toBe('revoked');
    expect((await http('GET', `${CONSENTS()}/${second}`, { token: shop.token })).body.status).toBe('active');
    expect((await charge(phone, 2_500)).body.paymentStatus).toBe('succeeded');
  });

  it('is denied after the last wrong code, as a payment is', async () => {
    const phone = phoneNumber(2);
    const asked = await http('POST', CONSENTS(), {
      token: shop.token,
      body: { phoneNumber: phone, description: 'Weekly comics', maxAmountPerCharge: won(1_000) },
    });
    const right = await latestCode(gw, phone);
    const wrong = right === '000000' ? '111111' : '000000';
    const tries = [];
    for (let i = 0; i < 5; i++) {
      tries.push(
        (
          await http('POST', `${CONSENTS()}/${String(asked.body.consentId)}/validate`, {
            token: shop.token,
            body: { authorizationId: asked.body.validationInfo?.authorizationId, code: wrong },
          })
        ).body.code,
      );
    }
    expect(tries).toEqual([
      ...Array.from({ length: 4 }, () => 'CARRIER_BILLING.INVALID_CODE'),
      'CARRIER_BILLING.VALIDATION_FAILED',
    ]);
    const late = await http('POST', `${CONSENTS()}/${String(asked.body.consentId)}/validate`, {
      token: shop.token,
      body: { authorizationId: asked.body.validationInfo?.authorizationId, code: right },
    });
    expect(late.body.code).toBe('CARRIER_BILLING.VALIDATION_FAILED');
    expect(
      (await http('GET', `${CONSENTS()}/${String(asked.body.consentId)}`, { token: shop.token })).body.status,
    ).toBe('denied');
  });
});

describe('consents for operators', () => {
  it("lists a number's consents of every merchant and revokes one, audited; the command line does the same", async () => {
    const phone = phoneNumber(1);
    const id = await activeConsent(phone, { perCharge: 2_000 });
    const listed = await http<Body[]>('GET', `${gw.url}/admin/v1/consents?phoneNumber=${encodeURIComponent(phone)}`, {
      token: gw.operatorToken,
    });
    expect(listed.body).toEqual([
      expect.objectContaining({ consentId: id, merchantId: shop.merchantId, status: 'active' }),
    ]);
    const revoked = await http('POST', `${gw.url}/admin/v1/consents/${id}/revoke`, { token: gw.operatorToken });
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedBy: expect.stringMatching(/^(operator|setup):/) });
    expect((await charge(phone, 1_000)).body.code).toBe('PERMISSION_DENIED');
    if (!process.env.DATABASE_URL) return;
    const second = await activeConsent(phone, { perCharge: 2_000 });
    const viaCli = await runCli(gw, 'consents', 'revoke', second, '--json');
    expect(viaCli).toMatchObject({ consentId: second, status: 'revoked', revokedBy: expect.stringMatching(/^cli:/) });
  });
});

describe('a consent request that cannot be', () => {
  const count = async () =>
    Number((await gw.database.query<{ n: bigint }>('SELECT count(*) AS n FROM consents')).rows[0]?.n);

  it.each([
    ['a cap above the limit per payment', { maxAmountPerCharge: won(60_000) }, 400, 'INVALID_ARGUMENT'],
    [
      'a monthly cap above the monthly limit',
      { maxAmountPerCharge: won(1_000), maxAmountPerMonth: won(200_000) },
      400,
      'INVALID_ARGUMENT',
    ],
    ['an unknown currency', { maxAmountPerCharge: { amount: 10, currency: 'XXX' } }, 400, 'INVALID_ARGUMENT'],
    [
      'an expiry in the past',
      { maxAmountPerCharge: won(1_000), expiresAt: '2020-01-01T00:00:00Z' },
      400,
      'INVALID_ARGUMENT',
    ],
    [
      'a number no carrier serves',
      { phoneNumber: '+14155550100', maxAmountPerCharge: won(1_000) },
      422,
      'SERVICE_NOT_APPLICABLE',
    ],
    ['a field the contract does not have', { maxAmountPerCharge: won(1_000), period: 'P1M' }, 400, 'INVALID_ARGUMENT'],
  ])('is refused for %s, writing and texting nothing', async (_name, change, status, code) => {
    const phone = phoneNumber(1);
    const before = await count();
    const reply = await http('POST', CONSENTS(), {
      token: shop.token,
      body: { phoneNumber: phone, description: 'Weekly comics', ...change },
    });
    expect(reply.body).toMatchObject({ status, code });
    expect(await count()).toBe(before);
    expect(await inbox(gw, phone)).toHaveLength(0);
  });
});
