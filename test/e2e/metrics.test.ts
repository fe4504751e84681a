import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, http, latestCode, newMerchant, phoneNumber, prepareBody, type Merchant } from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
let shop: Merchant;

beforeAll(async () => {
  gw = await startTestGateway();
  shop = await newMerchant(gw, { name: 'Metrics Shop' });
});
afterAll(async () => gw?.stop());

type Samples = Array<{ name: string; labels: Record<string, string>; value: number }>;

async function scrape(): Promise<{ text: string; samples: Samples }> {
  const reply = await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${gw.operatorToken}` } });
  expect(reply.status).toBe(200);
  const text = await reply.text();
  const samples: Samples = [];
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match?.[1] || match[3] === undefined) continue;
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return { text, samples };
}

/** The value of the one sample of `name` whose labels include `labels` (0 before it exists). */
function value(samples: Samples, name: string, labels: Record<string, string>): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0]?.value ?? 0;
}

describe('/metrics', () => {
  it('is for operators only', async () => {
    expect((await fetch(`${gw.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${shop.token}` } })).status).toBe(401);
  });

  it('moves by exactly a purchase and a declined purchase', async () => {
    const before = (await scrape()).samples;

    const phone = phoneNumber(1);
    const prepared = await http('POST', `${api(gw)}/payments/prepare`, { token: shop.token, body: prepareBody(phone) });
    const id = prepared.body.paymentId ?? '';
    const authorizationId = prepared.body.validationInfo?.authorizationId;
    const code = await latestCode(gw, phone);
    expect(
      (await http('POST', `${api(gw)}/payments/${id}/validate`, { token: shop.token, body: { authorizationId, code } }))
        .status,
    ).toBe(204);
    expect(
      (await http('POST', `${api(gw)}/payments/${id}/confirm`, { token: shop.token, body: { phoneNumber: phone } }))
        .status,
    ).toBe(202);
    const declinedPhone = phoneNumber(1, '9901');
    const declined = await http('POST', `${api(gw)}/payments/prepare`, {
      token: shop.token,
      body: prepareBody(declinedPhone),
    });
    expect(declined.status).toBe(403);

    const { text, samples: after } = await scrape();
    const moved = (name: string, labels: Record<string, string>) =>
      value(after, name, labels) - value(before, name, labels);
    const payments = (status: string) =>
      moved('cbg_payments_total', { status, carrier: 'alpha', merchant: shop.merchantId });
    expect(payments('reserving')).toBe(2);
    expect(payments('pending_validation')).toBe(1);
    expect(payments('reserved')).toBe(1);
    expect(payments('charging')).toBe(1);
    expect(payments('succeeded')).toBe(1);
    expect(payments('rejected')).toBe(1);
    expect(payments('denied')).toBe(0);

    const calls = (operation: string, outcome: string) =>
      moved('cbg_carrier_calls_total', { carrier: 'alpha', operation, outcome });
    expect(calls('reserveAmount', 'succeeded')).toBe(1);
    expect(calls('reserveAmount', 'declined')).toBe(1);
    expect(calls('chargeReservation', 'succeeded')).toBe(1);
    expect(calls('sendSms', 'succeeded')).toBe(2);
    expect(moved('cbg_carrier_call_duration_seconds_count', { carrier: 'alpha', operation: 'reserveAmount' })).toBe(2);
    expect(moved('cbg_sms_total', { carrier: 'alpha', purpose: 'consent_code', outcome: 'sent' })).toBe(1);
    expect(moved('cbg_sms_total', { carrier: 'alpha', purpose: 'gift_certificate', outcome: 'sent' })).toBe(1);
    expect(moved('cbg_code_validations_failed_total', { reason: 'wrong_code' })).toBe(0);

    const requests = (route: string, status: string) =>
      moved('cbg_http_requests_total', { method: 'POST', route: `/carrier-billing/v0.5${route}`, status });
    expect(requests('/payments/prepare', '201')).toBe(1);
    expect(requests('/payments/prepare', '403')).toBe(1);
    expect(requests('/payments/:paymentId/validate', '204')).toBe(1);
    expect(requests('/payments/:paymentId/confirm', '202')).toBe(1);

    expect(value(after, 'cbg_carrier_circuit_state', { carrier: 'alpha', state: 'closed' })).toBe(1);
    expect(value(after, 'cbg_carrier_circuit_state', { carrier: 'alpha', state: 'open' })).toBe(0);
    expect(value(after, 'cbg_manual_review_payments', {})).toBe(0);
    expect(after.some((s) => s.name === 'cbg_outbox_oldest_undelivered_age_seconds')).toBe(true);
    expect(after.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true);
    // Bounded labels: no payment id and no phone number, ever.
    for (const unbounded of [id, phone, phone.slice(1), declinedPhone]) expect(text.includes(unbounded)).toBe(false);
  });

  it('labels a route by its template, whatever letter case a client writes the path in', async () => {
    const before = (await scrape()).samples;
    for (const path of [
      '/CARRIER-billing/v0.5/payments/a',
      '/carrier-BILLING/v0.5/payments/b',
      '/Carrier-Billing/V0.5/payments/c',
    ])
      expect((await fetch(`${gw.url}${path}`)).status).toBe(401);
    const { text, samples: after } = await scrape();
    const labels = { method: 'GET', route: '/carrier-billing/v0.5/payments/:paymentId', status: '401' };
    expect(value(after, 'cbg_http_requests_total', labels) - value(before, 'cbg_http_requests_total', labels)).toBe(3);
    expect(text).not.toMatch(/route="[^"]*(CARRIER|BILLING|Carrier|V0)/);
  });
});
