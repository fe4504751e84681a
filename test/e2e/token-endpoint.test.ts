import { randomBytes, scryptSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newMerchant } from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * Security finding 4: every token request used to run scrypt (~50 ms), unknown clients included,
 * so twenty anonymous requests a second held the machine. Secrets are now checked with a keyed
 * hash, failures are braked per client address before any work, and old scrypt hashes are
 * rationed per client and replaced at their next use.
 */
let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway({
    trustProxy: '1', // the client address comes from X-Forwarded-For, as behind a balancer
    oauth: { failedAttemptsPerAddressPerMinute: 10, slowChecksPerClientPerMinute: 3 },
  });
});
afterAll(async () => gw?.stop());

const requestToken = (clientId: string, clientSecret: string, from: string) =>
  fetch(`${gw.url}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-for': from,
    },
    body: 'grant_type=client_credentials',
  });
const tally = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((n, s) => ({ ...n, [s]: (n[s] ?? 0) + 1 }), {});
const storedHash = async (merchantId: string) =>
  (
    await gw.database.query<{ client_secret_hash: string }>('SELECT client_secret_hash FROM merchants WHERE id = $1', [
      merchantId,
    ])
  ).rows[0]?.client_secret_hash;

describe('the token endpoint', () => {
  it('brakes failures per address before any work: 30 made-up clients at once get 10 answers and 20 refusals', async () => {
    const replies = await Promise.all(
      Array.from({ length: 30 }, () =>
        requestToken(`cli_${randomBytes(9).toString('base64url')}`, 'x', '203.0.113.50'),
      ),
    );
    expect(tally(replies.map((r) => r.status))).toEqual({ 401: 10, 429: 20 });
    const refused = replies.find((r) => r.status === 429);
    expect(refused?.headers.get('retry-after')).toBe('60');
    expect(await refused?.json()).toEqual({ error: 'temporarily_unavailable' });

    // A merchant elsewhere is not held up.
    const shop = await newMerchant(gw, { name: 'Unbothered Shop' });
    expect((await requestToken(shop.clientId, shop.clientSecret, '198.51.100.60')).status).toBe(200);
  });

  it('stores client secrets as a keyed hash, never a slow one', async () => {
    const shop = await newMerchant(gw, { name: 'Keyed Shop' });
    expect(await storedHash(shop.merchantId)).toMatch(/^hmac-sha256\$[\w-]{43}$/);
  });

  it('still takes a secret stored as scrypt and replaces the hash at that use', async () => {
    const shop = await legacyMerchant('Legacy Shop');
    expect((await requestToken(shop.clientId, shop.clientSecret, '192.0.2.99')).status).toBe(200);
    expect(await storedHash(shop.merchantId)).toMatch(/^hmac-sha256\$/);
    expect((await requestToken(shop.clientId, shop.clientSecret, '192.0.2.99')).status).toBe(200);
  });

  it('rations checks against a scrypt hash per client, whatever the addresses', async () => {
    const shop = await legacyMerchant('Legacy Target');
    const wrong = await Promise.all(
      Array.from({ length: 6 }, (_, i) => requestToken(shop.clientId, 'wrong', `192.0.2.${10 + i}`)),
    );
    expect(tally(wrong.map((r) => r.status))).toEqual({ 401: 3, 429: 3 });
  });
});

/** A merchant whose secret is stored the way it was before the keyed hash. */
async function legacyMerchant(name: string) {
  const shop = await newMerchant(gw, { name });
  const salt = randomBytes(16);
  const hash = scryptSync(shop.clientSecret, salt, 32, { N: 16384, r: 8, p: 1 });
  const legacy = ['scrypt', '16384', '8', '1', salt.toString('base64url'), hash.toString('base64url')].join('$');
  await gw.database.query('UPDATE merchants SET client_secret_hash = $2 WHERE id = $1', [shop.merchantId, legacy]);
  return shop;
}
