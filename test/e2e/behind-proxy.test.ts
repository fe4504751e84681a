import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newMerchant, prepareWithHost } from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway({ trustProxy: '1', publicUrl: 'https://pay.example.com' });
});
afterAll(async () => gw?.stop());

const signIn = (token: string, client: string) =>
  fetch(`${gw.url}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': client },
    body: new URLSearchParams({ token }),
    redirect: 'manual',
  });

describe('behind a load balancer (TRUST_PROXY, an https PUBLIC_URL)', () => {
  it('brakes guessing per client, not per balancer: one guesser does not lock the operators out', async () => {
    for (let i = 0; i < 5; i++) expect((await signIn('wrong-token', '203.0.113.7')).status).toBe(401);
    expect((await signIn('wrong-token', '203.0.113.7')).status).toBe(429);
    expect((await signIn(gw.operatorToken, '198.51.100.20')).status).toBe(303);
  });

  it("builds confirmation links from PUBLIC_URL, never from the request's Host header", async () => {
    const shop = await newMerchant(gw, { name: 'Open Page Shop', validationMode: 'open' });
    const body = await prepareWithHost(gw, shop.token, 'pay.evil.example');
    expect(body.paymentStatus).toBe('pending_validation');
    expect(String((body.validationInfo as { validationURL?: string }).validationURL)).toMatch(
      /^https:\/\/pay\.example\.com\/pay\/[\w-]{43}$/,
    );
  });

  it('sets the session cookie Secure, though TLS ends at the balancer', async () => {
    const reply = await signIn(gw.operatorToken, '198.51.100.21');
    expect(reply.headers.get('set-cookie')).toMatch(/; Secure/);
  });
});
