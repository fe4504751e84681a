import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  http,
  inbox,
  latestCode,
  ledger,
  newMerchant,
  phoneNumber,
  prepareBody,
  tokenFor,
  type Merchant,
} from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * Issue 16, part 3: a phone user's SMS replies (CONTRACTS §7), delivered by the simulated carriers
 * through their own protocols: Parlay X `notifySmsReception` (alpha, bravo) and the OneAPI inbound
 * SMS notification (charlie), each authenticated as the carrier.
 */
let gw: TestGateway;
let shop: Merchant;
let clockOffsetMs = 0;
const PAY = () => `${gw.url}/carrier-billing/v0.5/payments`;
const CONSENTS = () => `${gw.url}/consents/v1/consents`;

beforeAll(async () => {
  gw = await startTestGateway({}, { now: () => new Date(Date.now() + clockOffsetMs) });
  shop = await newMerchant(gw, { name: 'Melon Books' });
});
afterAll(async () => gw?.stop());

/** The phone user texts the gateway's number; their carrier delivers it. */
async function reply(from: string, text: string) {
  const sent = await http('POST', `${gw.simulatorUrl}/simulator/v1/sms/inbound`, { body: { from, text } });
  expect(sent.status).toBe(202);
  expect(sent.body.gatewayAnswered).toBeLessThan(300);
}
const lastSms = async (phone: string) => (await inbox(gw, phone)).at(-1)?.text ?? '';

async function activeConsent(phone: string, m: Merchant = shop) {
  const asked = await http('POST', CONSENTS(), {
    token: m.token,
    body: { phoneNumber: phone, description: 'E-books', maxAmountPerCharge: { amount: 5_000, currency: 'KRW' } },
  });
  await http('POST', `${CONSENTS()}/${String(asked.body.consentId)}/validate`, {
    token: m.token,
    body: { authorizationId: asked.body.validationInfo?.authorizationId, code: await latestCode(gw, phone) },
  });
  return String(asked.body.consentId);
}
const charge = (phone: string, amount = 1_000, m: Merchant = shop) =>
  http('POST', PAY(), { token: m.token, body: prepareBody(phone, { amount }) });

describe('STOP', () => {
  it.each([
    ['Parlay X', 1, 'STOP'],
    ['OneAPI', 3, 'stop'],
  ] as const)(
    'by %s: three charges without a code, then STOP, and the fourth is refused',
    async (_protocol, carrier, word) => {
      const phone = phoneNumber(carrier);
      const id = await activeConsent(phone);
      for (let i = 0; i < 3; i++) expect((await charge(phone)).body.paymentStatus).toBe('succeeded');
      await reply(phone, word);
      expect(await lastSms(phone)).toContain('Stopped: Melon Books');
      // The audit trail says who stopped what.
      const { rows } = await gw.database.query<{ actor: string; detail: { of?: string } }>(
        `SELECT actor, detail FROM audit_events WHERE event = 'stopped' AND detail->>'of' = $1`,
        [id],
      );
      expect(rows).toEqual([expect.objectContaining({ actor: 'phone-user' })]);
      expect((await http('GET', `${CONSENTS()}/${id}`, { token: shop.token })).body.status).toBe('revoked');
      expect((await charge(phone)).body).toMatchObject({ status: 403, code: 'PERMISSION_DENIED' });
    },
  );

  it("해지 with a merchant's name ends only that merchant's consent", async () => {
    const phone = phoneNumber(2);
    const other = await newMerchant(gw, { name: 'Webtoon Hub' });
    const mine = await activeConsent(phone);
    const theirs = await activeConsent(phone, other);
    await reply(phone, '해지 Webtoon Hub');
    expect(await lastSms(phone)).toContain('Stopped: Webtoon Hub');
    expect((await http('GET', `${CONSENTS()}/${theirs}`, { token: other.token })).body.status).toBe('revoked');
    expect((await http('GET', `${CONSENTS()}/${mine}`, { token: shop.token })).body.status).toBe('active');
  });

  it('from a number with nothing to stop, or with no keyword, is answered by SMS', async () => {
    const phone = phoneNumber(1);
    await reply(phone, 'STOP');
    expect(await lastSms(phone)).toContain('Nothing to stop');
    await reply(phone, 'hello?');
    expect(await lastSms(phone)).toContain('Reply STOP');
  });
});

describe('BLOCK, UNBLOCK and LIMIT', () => {
  it('BLOCK refuses payments before any code is sent; UNBLOCK lifts it only after the cooling-off period', async () => {
    const phone = phoneNumber(1);
    await reply(phone, '차단');
    expect(await lastSms(phone)).toContain('blocked');
    const audited = await gw.database.query<{ n: bigint }>(
      `SELECT count(*) AS n FROM audit_events WHERE event = 'carrier_billing_blocked' AND actor = 'phone-user'`,
    );
    expect(Number(audited.rows[0]?.n)).toBeGreaterThanOrEqual(1);
    const texts = (await inbox(gw, phone)).length;
    const refused = await http('POST', `${PAY()}/prepare`, { token: shop.token, body: prepareBody(phone) });
    expect(refused.body).toMatchObject({ status: 403, code: 'CARRIER_BILLING.PAYMENT_DENIED' });
    expect(await inbox(gw, phone)).toHaveLength(texts);

    await reply(phone, 'UNBLOCK');
    expect(await lastSms(phone)).toContain('will be lifted at');
    expect((await http('POST', `${PAY()}/prepare`, { token: shop.token, body: prepareBody(phone) })).status).toBe(403);
    clockOffsetMs += 25 * 3_600_000;
    try {
      // A day later, with a fresh token (the shop's earlier one has expired by the gateway's clock).
      const token = await tokenFor(gw, shop.clientId, shop.clientSecret);
      expect((await http('POST', `${PAY()}/prepare`, { token, body: prepareBody(phone) })).status).toBe(201);
    } finally {
      clockOffsetMs -= 25 * 3_600_000;
    }
  });

  it("LIMIT lowers the number's own monthly limit at once; raising it waits for the cooling-off period", async () => {
    const phone = phoneNumber(2);
    await reply(phone, 'LIMIT 5,000');
    expect(await lastSms(phone)).toContain('5,000 KRW');
    const over = await http('POST', `${PAY()}/prepare`, {
      token: shop.token,
      body: prepareBody(phone, { amount: 6_000 }),
    });
    expect(over.body.code).toBe('CARRIER_BILLING.USER_AMOUNT_THRESHOLD_OVERPASSED');
    await reply(phone, '한도 100000');
    expect(await lastSms(phone)).toContain('from');
    expect(
      (await http('POST', `${PAY()}/prepare`, { token: shop.token, body: prepareBody(phone, { amount: 6_000 }) })).body
        .code,
    ).toBe('CARRIER_BILLING.USER_AMOUNT_THRESHOLD_OVERPASSED');
  });
});

describe('what a reply cannot do', () => {
  it("a carrier cannot act for another carrier's number, even with its own valid credentials", async () => {
    const alphaNumber = phoneNumber(1);
    const secret = gw.context.carriers.get('charlie')?.inboundSecret ?? '';
    const delivered = await fetch(`${gw.url}/carriers/charlie/oneapi/inboundSMSMessageNotification`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`charlie:${secret}`).toString('base64')}`,
      },
      body: JSON.stringify({
        inboundSMSMessageNotification: { inboundSMSMessage: { senderAddress: `tel:${alphaNumber}`, message: 'BLOCK' } },
      }),
    });
    expect(delivered.status).toBe(204);
    expect((await http('POST', `${PAY()}/prepare`, { token: shop.token, body: prepareBody(alphaNumber) })).status).toBe(
      201,
    );
  });

  it('a payment reserved under a consent is not charged after STOP: its confirmation is refused and the reservation released', async () => {
    const phone = phoneNumber(2);
    await activeConsent(phone);
    const reserved = await http('POST', `${PAY()}/prepare`, { token: shop.token, body: prepareBody(phone) });
    expect(reserved.body.paymentStatus).toBe('reserved');
    await reply(phone, 'stop melon books');
    expect(await lastSms(phone)).toContain('Stopped: Melon Books');
    const confirmed = await http('POST', `${PAY()}/${String(reserved.body.paymentId)}/confirm`, {
      token: shop.token,
      body: { phoneNumber: phone },
    });
    expect(confirmed.body).toMatchObject({ status: 403, code: 'CARRIER_BILLING.PAYMENT_DENIED' });
    const books = await ledger(gw, 'bravo', phone);
    expect(books.entries.filter((e) => e.type === 'charge')).toHaveLength(0);
    expect(books.openReservations).toHaveLength(0);
  });

  it('LIMIT 0 stops every charge; an amount out of range is answered with the keywords, never an error', async () => {
    const phone = phoneNumber(1);
    await reply(phone, 'LIMIT 0');
    expect(await lastSms(phone)).toContain('0 KRW');
    const over = await http('POST', `${PAY()}/prepare`, { token: shop.token, body: prepareBody(phone, { amount: 1 }) });
    expect(over.body.code).toBe('CARRIER_BILLING.USER_AMOUNT_THRESHOLD_OVERPASSED');
    await reply(phone, 'LIMIT 999,999,999,999,999');
    expect(await lastSms(phone)).toContain('Reply STOP');
  });

  it('answers at most 10 replies of a number an hour', async () => {
    const phone = phoneNumber(3);
    for (let i = 0; i < 12; i++) await reply(phone, `hello ${i}`);
    expect(await inbox(gw, phone)).toHaveLength(10);
  });
});

describe('a delivery that is not from the carrier', () => {
  it('is refused (401) on both protocols, and changes nothing', async () => {
    const phone = phoneNumber(3);
    const id = await activeConsent(phone);
    const oneapi = await fetch(`${gw.url}/carriers/charlie/oneapi/inboundSMSMessageNotification`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from('charlie:guessed-secret-guessed-secret-00').toString('base64')}`,
      },
      body: JSON.stringify({
        inboundSMSMessageNotification: { inboundSMSMessage: { senderAddress: `tel:${phone}`, message: 'STOP' } },
      }),
    });
    expect(oneapi.status).toBe(401);
    const envelope = `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
<notifySmsReception xmlns="http://www.csapi.org/schema/parlayx/sms/notification/v2_2/local"><correlator>x</correlator>
<message><message xmlns="http://www.csapi.org/schema/parlayx/sms/v2_2">STOP</message><senderAddress xmlns="http://www.csapi.org/schema/parlayx/sms/v2_2">tel:${phone}</senderAddress>
<smsServiceActivationNumber xmlns="http://www.csapi.org/schema/parlayx/sms/v2_2">tel:PAY</smsServiceActivationNumber></message></notifySmsReception></soap:Body></soap:Envelope>`;
    const parlayx = await fetch(`${gw.url}/carriers/alpha/parlayx/SmsNotification`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: envelope,
    });
    expect(parlayx.status).toBe(401);
    expect((await http('GET', `${CONSENTS()}/${id}`, { token: shop.token })).body.status).toBe('active');
  });
});
