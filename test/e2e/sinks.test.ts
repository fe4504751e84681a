import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, http, newMerchant, phoneNumber, prepareBody, type Merchant } from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
let shop: Merchant;

beforeAll(async () => {
  // As in production: https sinks only, and only public addresses.
  gw = await startTestGateway({ notifications: { allowHttpSinks: false } });
  shop = await newMerchant(gw, { name: 'Sink Shop' });
});
afterAll(async () => gw?.stop());

const withSink = (sink: string) => ({ ...prepareBody(phoneNumber(1)), sink });

describe('notification sinks with http sinks off', () => {
  it.each(['https://1.1.1.1/events', 'https://[2606:4700:4700::1111]/events', 'https://merchant.example/events'])(
    'takes the public sink %s',
    async (sink) => {
      const reply = await http('POST', `${api(gw)}/payments/prepare`, { token: shop.token, body: withSink(sink) });
      expect(reply.status).toBe(201);
      expect(reply.body.sink).toBe(sink);
    },
  );

  it.each([
    'https://127.0.0.1/events',
    'https://localhost/events',
    'https://[::1]/events',
    'https://[::ffff:10.0.0.1]/events',
    'https://[64:ff9b::a00:1]/events',
    'https://169.254.169.254/latest/meta-data',
    'http://merchant.example/events',
  ])('refuses %s with INVALID_SINK, writing nothing', async (sink) => {
    const reply = await http('POST', `${api(gw)}/payments/prepare`, { token: shop.token, body: withSink(sink) });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('INVALID_SINK');
  });
});
