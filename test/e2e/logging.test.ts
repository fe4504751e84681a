import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  http,
  latestCode,
  newMerchant,
  phoneNumber,
  prepareBody,
  type Certificate,
  type Merchant,
} from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/** Everything the gateway wrote to its log, at the most talkative level. */
const logged: string[] = [];
let gw: TestGateway;
let shop: Merchant;

beforeAll(async () => {
  gw = await startTestGateway({}, undefined, {
    level: 'trace',
    destination: { write: (line: string) => logged.push(line) },
  });
  shop = await newMerchant(gw, { name: 'Log Shop' });
});
afterAll(async () => gw?.stop());

describe('the log', () => {
  it('has one line per request with its route, status, latency, merchant and x-correlator', async () => {
    const phone = phoneNumber(1);
    await http('POST', `${api(gw)}/payments/prepare`, {
      token: shop.token,
      body: prepareBody(phone),
      headers: { 'x-correlator': 'log-test-1' },
    });
    const line = logged
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'request' && l.correlator === 'log-test-1');
    expect(line).toMatchObject({
      method: 'POST',
      route: '/carrier-billing/v0.5/payments/prepare',
      status: 201,
      merchantId: shop.merchantId,
    });
    expect(typeof line?.ms).toBe('number');
  });

  it('never holds a phone number, a code, a secret, a token or a gift code, whatever happened', async () => {
    const secrets: string[] = [gw.operatorToken, shop.clientSecret, shop.token];
    const phone = phoneNumber(2);
    secrets.push(phone, phone.slice(1));

    // A purchase with a wrong code first, then the right one.
    const prepared = await http('POST', `${api(gw)}/payments/prepare`, { token: shop.token, body: prepareBody(phone) });
    const id = prepared.body.paymentId ?? '';
    const authorizationId = prepared.body.validationInfo?.authorizationId;
    const code = await latestCode(gw, phone);
    secrets.push(code);
    const wrong = code === '000000' ? '111111' : '000000';
    await http('POST', `${api(gw)}/payments/${id}/validate`, {
      token: shop.token,
      body: { authorizationId, code: wrong },
    });
    await http('POST', `${api(gw)}/payments/${id}/validate`, { token: shop.token, body: { authorizationId, code } });
    await http('POST', `${api(gw)}/payments/${id}/confirm`, { token: shop.token, body: { phoneNumber: phone } });
    const [certificate] = (
      await http<Certificate[]>('GET', `${gw.url}/gift-certificates/v1/certificates?paymentId=${id}`, {
        token: shop.token,
      })
    ).body;
    const giftCode = certificate?.code ?? '';
    expect(giftCode).not.toBe('');
    secrets.push(giftCode, giftCode.replace(/-/g, ''));

    // A redemption, a look-up by a wrong code, and a refund of the rest.
    const gc = `${gw.url}/gift-certificates/v1`;
    expect(
      (await http('POST', `${gc}/redemptions`, { token: shop.token, body: { code: giftCode, amount: 500 } })).status,
    ).toBe(201);
    await http('POST', `${gc}/certificates/lookup`, { token: shop.token, body: { code: giftCode.replace(/.$/, '0') } });
    const refund = await http('POST', `${gw.url}/carrier-billing-refund/v0.3/payments/${id}/refunds`, {
      token: shop.token,
      body: { type: 'total', amountTransaction: { referenceCode: `log-refund-${Date.now()}`, refundAmount: {} } },
    });
    expect(refund.status).toBe(201);

    // What an operator does with a phone number, and what callers get wrong.
    await http('GET', `${gw.url}/admin/v1/payments?phoneNumber=${encodeURIComponent(phone)}`, {
      token: gw.operatorToken,
    });
    await http('GET', `${gw.url}/admin/v1/payments/${id}`, { token: gw.operatorToken });
    await http('POST', `${api(gw)}/payments/prepare`, { token: `${shop.token}x`, body: prepareBody(phone) });
    await http('POST', `${api(gw)}/payments/prepare`, {
      token: shop.token,
      raw: `{"amountTransaction": "${phone}`,
      headers: { 'content-type': 'application/json' },
    });
    await fetch(`${gw.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: shop.clientId,
        client_secret: `${shop.clientSecret}x`,
      }),
    });

    const everything = logged.join('');
    expect(everything).toContain('"msg":"request"');
    for (const secret of secrets)
      expect(everything.includes(secret), `the log holds ${secret.slice(0, 4)}…`).toBe(false);
  });
});
