import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, ledger, newMerchant, phoneNumber, prepareBody, type Merchant } from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * Issue 17, part 1: merchant categories (CONTRACTS §8). What one phone number spends a month at
 * every gift-certificate merchant together is capped (300,000 KRW by default), next to the
 * carrier's limit for everything; the cap holds under concurrent charges.
 */
let gw: TestGateway;
let giftA: Merchant;
let giftB: Merchant;
let games: Merchant;
const PAY = () => `${gw.url}/carrier-billing/v0.5/payments`;

async function merchantOf(name: string, category: string): Promise<Merchant> {
  const m = await newMerchant(gw, { name, oneStepPayments: true });
  const patched = await http('PATCH', `${gw.url}/admin/v1/merchants/${m.merchantId}`, {
    token: gw.operatorToken,
    body: { category },
  });
  expect(patched.body).toMatchObject({ category });
  return m;
}

beforeAll(async () => {
  // The cap alone: the risk rules (which hold bursts of gift certificates) have their own test.
  gw = await startTestGateway({ risk: { rules: { payments: [] } } });
  giftA = await merchantOf('Gift Shop A', 'gift_certificate');
  giftB = await merchantOf('Gift Shop B', 'gift_certificate');
  games = await merchantOf('Game Store', 'game');
});
afterAll(async () => gw?.stop());

const charge = (m: Merchant, phone: string, amount: number) =>
  http('POST', PAY(), { token: m.token, body: prepareBody(phone, { amount }) });

describe('the gift-certificate category cap', () => {
  it('counts every gift-certificate merchant together, and no other category', async () => {
    const phone = phoneNumber(1);
    expect((await charge(giftA, phone, 200_000)).body.paymentStatus).toBe('succeeded');
    expect((await charge(giftB, phone, 100_000)).body.paymentStatus).toBe('succeeded');
    expect((await charge(giftA, phone, 1)).body).toMatchObject({
      status: 422,
      code: 'CARRIER_BILLING.USER_AMOUNT_THRESHOLD_OVERPASSED',
    });
    // A game is not a gift certificate: the carrier's limit for everything still has room.
    expect((await charge(games, phone, 200_000)).body.paymentStatus).toBe('succeeded');
  });

  it('holds under 10 concurrent charges across two gift-certificate merchants', async () => {
    const phone = phoneNumber(2);
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) => charge(i % 2 === 0 ? giftA : giftB, phone, 40_000)),
    );
    expect(replies.filter((r) => r.body.paymentStatus === 'succeeded')).toHaveLength(7);
    expect((await ledger(gw, 'bravo', phone)).entries.filter((e) => e.type === 'charge')).toHaveLength(7);
  });

  it('refuses a category it does not know', async () => {
    const reply = await http('PATCH', `${gw.url}/admin/v1/merchants/${games.merchantId}`, {
      token: gw.operatorToken,
      body: { category: 'casino' },
    });
    expect(reply.body).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' });
  });
});
