import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, newMerchant, phoneNumber, prepareBody, type Merchant } from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { until } from '../helpers/wait.js';

/**
 * Security finding 11: one merchant's hanging sink used to hold the whole outbox (deliveries went
 * in rounds, each waiting for its slowest), and delivered rows were kept for ever.
 */
let gw: TestGateway;
const sinks: Server[] = [];
const hanging = { open: 0, most: 0, held: [] as ServerResponse[], released: false };
const arrived: string[] = [];
let hangingUrl = '';
let answeringUrl = '';

async function sink(handle: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handle(req, res, body));
  });
  sinks.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
}

beforeAll(async () => {
  hangingUrl = await sink((req, res) => {
    if (hanging.released) {
      res.writeHead(204).end();
      return;
    }
    hanging.open += 1;
    hanging.most = Math.max(hanging.most, hanging.open);
    hanging.held.push(res);
    req.socket.on('close', () => (hanging.open -= 1));
  });
  answeringUrl = await sink((_req, res, body) => {
    arrived.push(body);
    res.writeHead(204).end();
  });
  gw = await startTestGateway({
    notifications: {
      allowHttpSinks: true,
      schedule: '* * * * * *',
      timeoutMs: 20_000,
      retryHours: 24,
      concurrency: 8,
      perMerchantConcurrency: 2,
    },
    payments: { reservedTtlSeconds: 900, expirySchedule: '* * * * * *' },
  });
});
afterAll(async () => {
  await gw?.stop();
  for (const server of sinks) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

const prepareTo = (m: Merchant, sinkUrl: string) =>
  http('POST', `${gw.url}/carrier-billing/v0.5/payments/prepare`, {
    token: m.token,
    body: { ...prepareBody(phoneNumber(1)), sink: sinkUrl },
  });

describe('the outbox', () => {
  it("delivers at most two of a merchant's events at once, and others' while its sink hangs", async () => {
    const stuck = await newMerchant(gw, { name: 'Hanging Sink Shop' });
    for (let i = 0; i < 6; i++) expect((await prepareTo(stuck, hangingUrl)).status).toBe(201);
    expect(
      await until(
        async () => hanging.open,
        (n) => n === 2,
      ),
    ).toBe(2);

    const other = await newMerchant(gw, { name: 'Answering Sink Shop' });
    const paymentId = (await prepareTo(other, answeringUrl)).body.paymentId as string;
    await until(
      async () => arrived.length,
      () => arrived.some((body) => body.includes(paymentId)),
    );
    expect(arrived.some((body) => body.includes(paymentId))).toBe(true);
    // It arrived while the hanging sink still held its two, and never more than two.
    expect(hanging.open).toBe(2);
    expect(hanging.most).toBe(2);
    hanging.released = true;
    for (const res of hanging.held) res.writeHead(204).end();
  });

  it('deletes delivered notifications after keepDays, gives up on ones never tried in retryHours, keeps the rest', async () => {
    const shop = await newMerchant(gw, { name: 'Old News Shop' });
    const paymentId = (await prepareTo(shop, answeringUrl)).body.paymentId as string;
    await until(
      async () => arrived.length,
      () => arrived.some((body) => body.includes(paymentId)),
    );
    await gw.database.query(
      "UPDATE notification_outbox SET created_at = now() - interval '31 days' WHERE payment_id = $1",
      [paymentId],
    );
    const waiting = async (age: string) =>
      (
        await gw.database.query<{ id: string }>(
          `INSERT INTO notification_outbox (payment_id, merchant_id, sink, event, next_at, created_at)
           VALUES ($1, $2, $3, '{}', now() + interval '1 day', now() - $4::interval) RETURNING id`,
          [paymentId, shop.merchantId, answeringUrl, age],
        )
      ).rows[0]?.id;
    const young = await waiting('1 hour');
    const stale = await waiting('25 hours');
    const left = await until(
      async () =>
        (
          await gw.database.query<{ id: string; status: string }>(
            'SELECT id, status FROM notification_outbox WHERE payment_id = $1 ORDER BY id',
            [paymentId],
          )
        ).rows,
      (r) => r.length === 2 && r[1]?.status === 'failed',
    );
    expect(left).toEqual([
      { id: young, status: 'pending' },
      { id: stale, status: 'failed' },
    ]);
  });
});
