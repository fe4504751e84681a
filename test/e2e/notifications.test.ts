import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, inbox, latestCode, phoneNumber, prepareBody, tokenFor } from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { sleep, until } from '../helpers/wait.js';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  event: { id: string; type: string; specversion: string; source: string; time: string; data: Record<string, unknown> };
}

let gw: TestGateway;
let receiver: Server;
let sinkUrl = '';
let token = '';
let merchantId = '';
let answer = 204;
const received: Received[] = [];
/** Every delivery attempt, answered or not, in arrival order. */
const deliveries: Array<{ paymentId: unknown; type: string; status: number }> = [];
const SECRET = 'merchant-signing-secret-1234';

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const event = JSON.parse(body) as Received['event'];
      deliveries.push({ paymentId: event.data.paymentId, type: event.type, status: answer });
      if (answer < 300) received.push({ headers: req.headers, body, event });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  sinkUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`;
  gw = await startTestGateway({
    notifications: { allowHttpSinks: true, schedule: '* * * * * *', timeoutMs: 2000, retryHours: 24 },
  });
  const created = await http('POST', `${gw.url}/admin/v1/merchants`, {
    token: gw.operatorToken,
    body: { name: 'Notified Shop', notificationSecret: SECRET },
  });
  token = await tokenFor(gw, created.body.clientId as string, created.body.clientSecret as string);
  merchantId = created.body.merchantId as string;
});
afterAll(async () => {
  await gw?.stop();
  receiver?.closeAllConnections();
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
});

const PAY = () => `${gw.url}/carrier-billing/v0.5`;
const credential = {
  credentialType: 'ACCESSTOKEN',
  accessToken: 'sink-token-42',
  accessTokenExpiresUtc: '2030-01-01T00:00:00Z',
  accessTokenType: 'bearer',
};

async function prepareWithSink(phone: string) {
  const reply = await http('POST', `${PAY()}/payments/prepare`, {
    token,
    body: { ...prepareBody(phone), sink: sinkUrl, sinkCredential: credential },
  });
  expect(reply.status).toBe(201);
  expect(reply.body.sink).toBe(sinkUrl);
  return reply.body;
}

/** A purchase with a sink, validated and confirmed; its payment id. */
async function purchaseWithSink(phone: string): Promise<string> {
  const p = await prepareWithSink(phone);
  // An asynchronous merchant's prepare is answered before its code is sent.
  await until(
    () => inbox(gw, phone),
    (messages) => messages.length > 0,
  );
  await http('POST', `${PAY()}/payments/${p.paymentId}/validate`, {
    token,
    body: { authorizationId: p.validationInfo?.authorizationId, code: await latestCode(gw, phone) },
  });
  await http('POST', `${PAY()}/payments/${p.paymentId}/confirm`, { token, body: { phoneNumber: phone } });
  return p.paymentId as string;
}

async function eventsOf(paymentId: string, count: number, ms = 10_000): Promise<Received[]> {
  const until = Date.now() + ms;
  let mine = received.filter((r) => r.event.data.paymentId === paymentId);
  while (mine.length < count && Date.now() < until) {
    await sleep(100);
    mine = received.filter((r) => r.event.data.paymentId === paymentId);
  }
  return mine;
}

describe('CAMARA notifications to the sink', () => {
  it('tells a completed purchase in order, signed, with the bearer token, each event once', async () => {
    const paymentId = await purchaseWithSink(phoneNumber(1));
    const events = await eventsOf(paymentId, 3);
    expect(events.map((e) => e.event.type)).toEqual([
      'org.camaraproject.carrier-billing.v0.payment-pending-validation',
      'org.camaraproject.carrier-billing.v0.payment-reserved',
      'org.camaraproject.carrier-billing.v0.payment-completed',
    ]);
    const completed = events[2] as Received;
    expect(completed.event).toMatchObject({
      specversion: '1.0',
      source: '/carrier-billing/v0.5',
      data: { paymentId, status: 'succeeded' },
    });
    expect(completed.event.data.paymentDate).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(completed.headers['content-type']).toBe('application/cloudevents+json');
    expect(completed.headers.authorization).toBe('Bearer sink-token-42');
    expect(completed.headers['x-signature']).toBe(
      `sha256=${createHmac('sha256', SECRET).update(completed.body).digest('hex')}`,
    );
    expect(new Set(events.map((e) => e.event.id)).size).toBe(3);
    await sleep(1500);
    expect(await eventsOf(paymentId, 3, 0)).toHaveLength(3);
  });

  it("tells a refund's outcome to the refund's sink, with the refund's own credential, after the payment's events", async () => {
    const REFUNDS = `${gw.url}/carrier-billing-refund/v0.3/payments`;
    const refundCredential = { ...credential, accessToken: 'refund-token-7' };
    const refund = (paymentId: string, referenceCode: string) =>
      http('POST', `${REFUNDS}/${paymentId}/refunds`, {
        token,
        body: {
          type: 'total',
          amountTransaction: { referenceCode, refundAmount: {} },
          sink: sinkUrl,
          sinkCredential: refundCredential,
        },
      });

    const refunded = await purchaseWithSink(phoneNumber(1));
    const done = await refund(refunded, `refund-${refunded}`);
    expect(done.body.refundStatus).toBe('succeeded');
    const events = await eventsOf(refunded, 4);
    expect(events.map((e) => e.event.type)).toEqual([
      'org.camaraproject.carrier-billing.v0.payment-pending-validation',
      'org.camaraproject.carrier-billing.v0.payment-reserved',
      'org.camaraproject.carrier-billing.v0.payment-completed',
      'org.camaraproject.carrier-billing-refund.v0.refund-completed',
    ]);
    const completed = events[3] as Received;
    expect(completed.event).toMatchObject({
      source: '/carrier-billing-refund/v0.3',
      data: { paymentId: refunded, refundId: done.body.refundId, status: 'succeeded' },
    });
    expect(completed.event.data.refundDate).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(completed.headers.authorization).toBe('Bearer refund-token-7');
    expect(completed.headers['x-signature']).toBe(
      `sha256=${createHmac('sha256', SECRET).update(completed.body).digest('hex')}`,
    );

    // 9908: the carrier declines refunds. Waiting for the answer, the merchant learns it from
    // the 403 (which names no refund), so no event; answered `processing` (async), from the event.
    const answered = await purchaseWithSink(phoneNumber(1, '9908'));
    expect((await refund(answered, `refund-${answered}`)).body.code).toBe('CARRIER_BILLING_REFUND.REFUND_DENIED');
    await eventsOf(answered, 3);
    await sleep(1_500);
    expect((await eventsOf(answered, 3, 0)).map((e) => e.event.type)).not.toContain(
      'org.camaraproject.carrier-billing-refund.v0.refund-denied',
    );

    const setMode = (completionMode: 'sync' | 'async') =>
      http('PATCH', `${gw.url}/admin/v1/merchants/${merchantId}`, {
        token: gw.operatorToken,
        body: { completionMode },
      });
    await setMode('async');
    try {
      const later = await purchaseWithSink(phoneNumber(1, '9908'));
      const processing = await refund(later, `refund-${later}`);
      expect(processing.body.refundStatus).toBe('processing');
      const denied = (await eventsOf(later, 4)).at(-1);
      expect(denied?.event).toMatchObject({
        type: 'org.camaraproject.carrier-billing-refund.v0.refund-denied',
        data: { paymentId: later, refundId: processing.body.refundId, status: 'failed' },
      });
      expect(denied?.event.data.denialReason).toEqual(expect.any(String));
    } finally {
      await setMode('sync');
    }
  });

  it('tells a cancellation and a denial', async () => {
    const cancelledPhone = phoneNumber(2);
    const cancelled = await prepareWithSink(cancelledPhone);
    await http('POST', `${PAY()}/payments/${cancelled.paymentId}/cancel`, {
      token,
      body: { phoneNumber: cancelledPhone },
    });
    expect((await eventsOf(cancelled.paymentId as string, 2)).map((e) => e.event.type)).toEqual([
      'org.camaraproject.carrier-billing.v0.payment-pending-validation',
      'org.camaraproject.carrier-billing.v0.payment-cancelled',
    ]);

    const deniedPhone = phoneNumber(1);
    const denied = await prepareWithSink(deniedPhone);
    for (let i = 0; i < 5; i++)
      await http('POST', `${PAY()}/payments/${denied.paymentId}/validate`, {
        token,
        body: { authorizationId: denied.validationInfo?.authorizationId, code: 'nope' },
      });
    const events = await eventsOf(denied.paymentId as string, 2);
    expect(events[1]?.event).toMatchObject({
      type: 'org.camaraproject.carrier-billing.v0.payment-denied',
      data: { status: 'failed', denialReason: 'validation_failed' },
    });
  });

  it('retries while the receiver is down and delivers in order once it is back, without duplicates', async () => {
    answer = 503;
    const phone = phoneNumber(2);
    const p = await prepareWithSink(phone);
    await http('POST', `${PAY()}/payments/${p.paymentId}/validate`, {
      token,
      body: { authorizationId: p.validationInfo?.authorizationId, code: await latestCode(gw, phone) },
    });
    let attempts = 0;
    for (let i = 0; i < 60 && attempts < 2; i++) {
      await sleep(100);
      attempts =
        (
          await gw.database.query<{ attempts: number }>(
            'SELECT attempts FROM notification_outbox WHERE payment_id = $1 ORDER BY id LIMIT 1',
            [p.paymentId],
          )
        ).rows[0]?.attempts ?? 0;
    }
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(received.filter((r) => r.event.data.paymentId === p.paymentId)).toHaveLength(0);
    answer = 204;
    const events = await eventsOf(p.paymentId as string, 2, 15_000);
    expect(events.map((e) => e.event.type.split('-').at(-1))).toEqual(['validation', 'reserved']);
    await sleep(2000);
    expect(received.filter((r) => r.event.data.paymentId === p.paymentId)).toHaveLength(2);
    // Order held during the outage too: the second event was never tried before the first was taken.
    const mine = deliveries.filter((a) => a.paymentId === p.paymentId);
    const firstTaken = mine.findIndex((a) => a.type.endsWith('pending-validation') && a.status < 300);
    expect(mine.findIndex((a) => a.type.endsWith('reserved'))).toBeGreaterThan(firstTaken);
    expect(mine.filter((a) => a.type.endsWith('pending-validation') && a.status >= 300).length).toBeGreaterThan(0);
  });
});

describe('notifications of consents and subscriptions', () => {
  /** The events delivered about one consent or subscription, in order, once `count` have come. */
  async function eventsAbout(key: 'consentId' | 'subscriptionId', id: string, count: number): Promise<Received[]> {
    const end = Date.now() + 10_000;
    const mine = () => received.filter((r) => r.event.data[key] === id);
    while (mine().length < count && Date.now() < end) await sleep(100);
    return mine();
  }

  it("tells a consent's activation and revocation, and a subscription's activation and cancellation, with their own credential", async () => {
    const phone = phoneNumber(1);
    const asked = await http('POST', `${gw.url}/consents/v1/consents`, {
      token,
      body: {
        phoneNumber: phone,
        description: 'Magazines',
        maxAmountPerCharge: { amount: 3_000, currency: 'KRW' },
        sink: sinkUrl,
        sinkCredential: { ...credential, accessToken: 'consent-token-7' },
      },
    });
    const consentId = String(asked.body.consentId);
    await http('POST', `${gw.url}/consents/v1/consents/${consentId}/validate`, {
      token,
      body: { authorizationId: asked.body.validationInfo?.authorizationId, code: await latestCode(gw, phone) },
    });
    await http('DELETE', `${gw.url}/consents/v1/consents/${consentId}`, { token });
    const consentEvents = await eventsAbout('consentId', consentId, 2);
    expect(consentEvents.map((e) => e.event.type)).toEqual([
      'org.carrier-billing-gateway.consents.v1.consent-activated',
      'org.carrier-billing-gateway.consents.v1.consent-revoked',
    ]);
    expect(consentEvents[0]?.headers.authorization).toBe('Bearer consent-token-7');

    const subscribed = await http('POST', `${gw.url}/subscriptions/v1/subscriptions`, {
      token,
      body: {
        phoneNumber: phone,
        description: 'Magazine club',
        amount: { amount: 2_000, currency: 'KRW' },
        period: 'P1W',
        sink: sinkUrl,
        sinkCredential: credential,
      },
    });
    const subscriptionId = String(subscribed.body.subscriptionId);
    await http('POST', `${gw.url}/subscriptions/v1/subscriptions/${subscriptionId}/validate`, {
      token,
      body: { authorizationId: subscribed.body.validationInfo?.authorizationId, code: await latestCode(gw, phone) },
    });
    await http('DELETE', `${gw.url}/subscriptions/v1/subscriptions/${subscriptionId}`, { token });
    const subscriptionEvents = await eventsAbout('subscriptionId', subscriptionId, 3);
    expect(subscriptionEvents.map((e) => e.event.type.split('.').at(-1))).toEqual([
      'subscription-activated',
      'subscription-renewed',
      'subscription-cancelled',
    ]);
    expect(subscriptionEvents[1]?.event.data).toMatchObject({ period: 0, status: 'active' });
    expect(subscriptionEvents[0]?.headers['x-signature']).toBe(
      `sha256=${createHmac('sha256', SECRET)
        .update(subscriptionEvents[0]?.body ?? '')
        .digest('hex')}`,
    );
  });
});
