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
  type Certificate,
  type Merchant,
} from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { until } from '../helpers/wait.js';

/**
 * Issue 17, parts 2 and 3: the cash-out defence's rules (CONTRACTS §8), with the default rules.
 * `deny` refuses before any SMS or carrier call; `review` holds the payment with its reservation
 * until an operator approves or declines, or the hold lapses; a risky charge without a code asks
 * for one (step-up). Numbers ending 9911 had their SIM swapped 2 hours ago, 9912 are 3-day-old lines.
 */
let gw: TestGateway;
let giftShop: Merchant;
let giftOneStep: Merchant;
/** Sells certificates of another category at once, so that only the redemption rules are at play. */
let vouchers: Merchant;
let clockOffsetMs = 0;
const PAY = () => `${gw.url}/carrier-billing/v0.5/payments`;
const ADMIN = () => `${gw.url}/admin/v1`;

async function giftMerchant(name: string, options: { oneStepPayments?: boolean } = {}): Promise<Merchant> {
  const m = await newMerchant(gw, { name, ...options });
  await http('PATCH', `${ADMIN()}/merchants/${m.merchantId}`, {
    token: gw.operatorToken,
    body: { category: 'gift_certificate' },
  });
  return m;
}

beforeAll(async () => {
  gw = await startTestGateway(
    { payments: { reservedTtlSeconds: 900, expirySchedule: '* * * * * *' } },
    { now: () => new Date(Date.now() + clockOffsetMs) },
  );
  giftShop = await giftMerchant('Gift Shop');
  giftOneStep = await giftMerchant('Gift Express', { oneStepPayments: true });
  vouchers = await newMerchant(gw, { name: 'Voucher Hub', oneStepPayments: true });
});
afterAll(async () => gw?.stop());

const prepare = (m: Merchant, phone: string, amount = 10_000) =>
  http('POST', `${PAY()}/prepare`, { token: m.token, body: prepareBody(phone, { amount }) });
const operator = (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) =>
  http(method, `${ADMIN()}${path}`, { token: gw.operatorToken, body });
const paymentIdsOf = async (phone: string) =>
  (
    await gw.database.query<{ id: string }>('SELECT id FROM payments WHERE phone_number = $1 ORDER BY created_at', [
      phone,
    ])
  ).rows.map((r) => r.id);
const eventually = async (probe: () => Promise<boolean>) => expect(await until(probe, (done) => done)).toBe(true);
const statusOf = async (id: string) => String((await operator('GET', `/payments/${id}`)).body.status);

interface RiskView {
  risk?: { decision: string; reasons: Array<{ rule: string; decision: string; why: string }> };
}

describe('deny', () => {
  it('refuses a gift certificate to a freshly swapped SIM before any SMS or carrier call, and records why', async () => {
    const phone = phoneNumber(2, '9911');
    const reply = await prepare(giftShop, phone);
    expect(reply.body).toMatchObject({ status: 403, code: 'CARRIER_BILLING.PAYMENT_DENIED' });
    expect(reply.body).not.toHaveProperty('paymentId');
    expect(String(reply.body.message)).not.toMatch(/sim|swap/i);
    expect(await inbox(gw, phone)).toHaveLength(0);
    const atCarrier = await ledger(gw, 'bravo', phone);
    expect(atCarrier.entries).toHaveLength(0);
    expect(atCarrier.openReservations).toHaveLength(0);

    const [id] = await paymentIdsOf(phone);
    const view = (await operator('GET', `/payments/${id}`)).body as Body & RiskView;
    expect(view.status).toBe('rejected');
    expect(view.risk).toMatchObject({
      decision: 'deny',
      reasons: [{ rule: 'gift-after-sim-swap', decision: 'deny', why: expect.stringContaining('SIM swapped') }],
    });
  });

  it("screens a subscription's first charge: a swapped SIM's gift-certificate subscription charges nothing", async () => {
    const phone = phoneNumber(1, '9911');
    const SUBS = `${gw.url}/subscriptions/v1/subscriptions`;
    const asked = await http('POST', SUBS, {
      token: giftShop.token,
      body: {
        phoneNumber: phone,
        description: 'Gift card club',
        amount: { amount: 30_000, currency: 'KRW' },
        period: 'P1W',
      },
    });
    const validated = await http('POST', `${SUBS}/${String(asked.body.subscriptionId)}/validate`, {
      token: giftShop.token,
      body: { authorizationId: asked.body.validationInfo?.authorizationId, code: await latestCode(gw, phone) },
    });
    expect(validated.body.status).toBe('past_due');
    expect((await ledger(gw, 'alpha', phone)).entries).toHaveLength(0);
    const [id] = await paymentIdsOf(phone);
    expect(((await operator('GET', `/payments/${id}`)).body as RiskView).risk?.decision).toBe('deny');
  });

  it('lets the same number buy what is not a gift certificate', async () => {
    const games = await newMerchant(gw, { name: 'Game Store' });
    const phone = phoneNumber(2, '9911');
    expect((await prepare(games, phone)).body.paymentStatus).toBe('pending_validation');
  });
});

describe('review', () => {
  async function held(phone: string) {
    const reply = await prepare(giftShop, phone);
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ paymentStatus: 'processing', validationInfo: { action: 'validate' } });
    const id = String(reply.body.paymentId);
    expect(await statusOf(id)).toBe('held');
    // Reserved at the carrier, but no code sent.
    expect((await ledger(gw, 'alpha', phone)).openReservations).toHaveLength(1);
    expect(await inbox(gw, phone)).toHaveLength(0);
    return { id, authorizationId: String(reply.body.validationInfo?.authorizationId) };
  }

  it('holds a gift certificate on a new line until an operator approves; then the code goes out and the purchase completes', async () => {
    const phone = phoneNumber(1, '9912');
    const { id, authorizationId } = await held(phone);

    const queue = await operator('GET', '/risk/reviews');
    const review = (queue.body.reviews as Array<Record<string, unknown>>).find((r) => r.paymentId === id);
    expect(review).toMatchObject({ kind: 'payment', phoneNumber: phone, reasons: [{ rule: 'gift-on-new-line' }] });

    // The merchant cannot validate before the approval: there is no code yet.
    const early = await http('POST', `${PAY()}/${id}/validate`, {
      token: giftShop.token,
      body: { authorizationId, code: '000000' },
    });
    expect(early.status).toBe(409);

    const approved = await operator('POST', `/risk/reviews/${id}/approve`);
    expect(approved.body).toMatchObject({ status: 'pending_validation', risk: { decision: 'review' } });
    const validated = await http('POST', `${PAY()}/${id}/validate`, {
      token: giftShop.token,
      body: { authorizationId, code: await latestCode(gw, phone) },
    });
    expect(validated.status).toBe(204);
    await http('POST', `${PAY()}/${id}/confirm`, { token: giftShop.token, body: { phoneNumber: phone } });
    await eventually(async () => (await statusOf(id)) === 'succeeded');
    expect((await ledger(gw, 'alpha', phone)).entries.filter((e) => e.type === 'charge')).toHaveLength(1);
    const timeline = (await operator('GET', `/payments/${id}`)).body.timeline as Array<{
      actor: string;
      event: string;
    }>;
    expect(timeline.map((e) => `${e.actor} ${e.event}`)).toEqual(
      expect.arrayContaining(['risk-rules held_for_review', expect.stringMatching(/^operator:.* review_approved$/)]),
    );
    // Decided once: a second decision is told the payment moved on.
    expect((await operator('POST', `/risk/reviews/${id}/decline`)).status).toBe(409);
  });

  it('a declined one ends denied, its reservation released, no code ever sent', async () => {
    const phone = phoneNumber(1, '9912');
    const { id } = await held(phone);
    const declined = await operator('POST', `/risk/reviews/${id}/decline`);
    expect(declined.body).toMatchObject({ status: 'denied', denialReason: 'risk_declined' });
    await eventually(async () => (await ledger(gw, 'alpha', phone)).openReservations.length === 0);
    expect((await ledger(gw, 'alpha', phone)).entries.filter((e) => e.type === 'charge')).toHaveLength(0);
    expect(await inbox(gw, phone)).toHaveLength(0);
    expect((await operator('POST', `/risk/reviews/${id}/approve`)).status).toBe(409);
  });

  it('one nobody decides lapses after the hold: denied, released', async () => {
    const phone = phoneNumber(1, '9912');
    const { id } = await held(phone);
    clockOffsetMs += 31 * 60_000;
    try {
      await eventually(async () => (await statusOf(id)) === 'denied');
      await eventually(async () => (await ledger(gw, 'alpha', phone)).openReservations.length === 0);
    } finally {
      clockOffsetMs -= 31 * 60_000;
    }
    expect((await operator('GET', `/payments/${id}`)).body).toMatchObject({ denialReason: 'review_lapsed' });
    expect(await inbox(gw, phone)).toHaveLength(0);
  });

  it('counts a number’s purchases under its lock: of 6 concurrent gift certificates, exactly the first 2 go on', async () => {
    const phone = phoneNumber(2);
    const replies = await Promise.all(Array.from({ length: 6 }, () => prepare(giftShop, phone, 5_000)));
    expect(replies.map((r) => r.status)).toEqual(Array(6).fill(201));
    const { rows } = await gw.database.query<{ status: string }>(
      'SELECT status FROM payments WHERE phone_number = $1 ORDER BY status',
      [phone],
    );
    expect(rows.map((r) => r.status)).toEqual([
      'held',
      'held',
      'held',
      'held',
      'pending_validation',
      'pending_validation',
    ]);
  });
});

describe('step-up', () => {
  it('a one-step gift certificate the rules find risky is refused with the reason to ask for a code', async () => {
    const phone = phoneNumber(1, '9912');
    const reply = await http('POST', PAY(), { token: giftOneStep.token, body: prepareBody(phone) });
    expect(reply.body).toMatchObject({ status: 403, code: 'CARRIER_BILLING.PAYMENT_DENIED' });
    expect(String(reply.body.message)).toContain('code');
    expect((await ledger(gw, 'alpha', phone)).entries).toHaveLength(0);
    const [id] = await paymentIdsOf(phone);
    expect(((await operator('GET', `/payments/${id}`)).body as RiskView).risk).toMatchObject({
      decision: 'deny',
      reasons: [{ rule: 'gift-on-new-line', decision: 'review' }],
    });
  });

  it('a consent charge the rules find risky is not charged silently: held, then the phone user is asked for a code', async () => {
    const phone = phoneNumber(2, '9912');
    const asked = await http('POST', `${gw.url}/consents/v1/consents`, {
      token: giftShop.token,
      body: {
        phoneNumber: phone,
        description: 'Monthly gift card',
        maxAmountPerCharge: { amount: 20_000, currency: 'KRW' },
      },
    });
    const consentId = String(asked.body.consentId);
    const active = await http('POST', `${gw.url}/consents/v1/consents/${consentId}/validate`, {
      token: giftShop.token,
      body: { authorizationId: asked.body.validationInfo?.authorizationId, code: await latestCode(gw, phone) },
    });
    expect(active.body.status).toBe('active');
    const smsBefore = (await inbox(gw, phone)).length;

    // Without the rules this would be `reserved` at once, no code (prepare under a consent).
    const prepared = await prepare(giftShop, phone);
    expect(prepared.body).toMatchObject({ paymentStatus: 'processing', validationInfo: { action: 'validate' } });
    const id = String(prepared.body.paymentId);
    const view = (await operator('GET', `/payments/${id}`)).body as Body & RiskView;
    expect(view).toMatchObject({ status: 'held', risk: { decision: 'step_up' } });
    expect(view).not.toHaveProperty('consentId');
    expect((await inbox(gw, phone)).length).toBe(smsBefore);

    await operator('POST', `/risk/reviews/${id}/approve`);
    expect((await inbox(gw, phone)).length).toBe(smsBefore + 1);
    const validated = await http('POST', `${PAY()}/${id}/validate`, {
      token: giftShop.token,
      body: { authorizationId: prepared.body.validationInfo?.authorizationId, code: await latestCode(gw, phone) },
    });
    expect(validated.status).toBe(204);
  });
});

describe('who may decide', () => {
  it('a held payment the merchant cancels is released; a viewer may not decide a review', async () => {
    const phone = phoneNumber(1, '9912');
    const held = await prepare(giftShop, phone);
    const id = String(held.body.paymentId);
    const viewer = await operator('POST', '/operators', { name: 'Risk Watcher', role: 'viewer' });
    const asViewer = await http('POST', `${ADMIN()}/risk/reviews/${id}/approve`, {
      token: String(viewer.body.token),
    });
    expect(asViewer.body).toMatchObject({ status: 403, code: 'PERMISSION_DENIED' });
    expect(await statusOf(id)).toBe('held');

    const cancelled = await http('POST', `${PAY()}/${id}/cancel`, {
      token: giftShop.token,
      body: { phoneNumber: phone },
    });
    expect(cancelled.status).toBe(202);
    expect(await statusOf(id)).toBe('cancelled');
    await eventually(async () => (await ledger(gw, 'alpha', phone)).openReservations.length === 0);
  });
});

describe('the rules as data', () => {
  it('an operator replaces them whole; bad rules change nothing; hits are counted per rule', async () => {
    const before = await operator('GET', '/risk/rules');
    expect(before.body.version).toBe('config');
    const rules = before.body.payments as Array<Record<string, unknown>>;
    const { rows } = await gw.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM payments WHERE risk_decision = 'deny' AND risk_reasons @> '[{"rule": "gift-after-sim-swap"}]'`,
    );
    expect(rows[0]?.n).toBeGreaterThan(0);
    expect(rules.find((r) => r.id === 'gift-after-sim-swap')).toMatchObject({ hits: { deny: rows[0]?.n } });
    // Operators watch the decisions in the metrics too.
    const metrics = await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${gw.operatorToken}` } });
    expect(await metrics.text()).toMatch(/^cbg_risk_decisions_total\{decision="deny"\} [1-9]/m);

    const bad = await operator('PUT', '/risk/rules', {
      payments: [{ id: 'x1', description: 'typo', when: { simSwapedWithinHours: 1 }, decision: 'deny' }],
      redemptions: [],
    });
    expect(bad.body).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' });
    expect((await operator('GET', '/risk/rules')).body.version).toBe('config');

    // What GET answers can be put back as it is (the hit counts are dropped).
    const redemptions = before.body.redemptions;
    const put = await operator('PUT', '/risk/rules', {
      payments: rules.filter((r) => r.id !== 'gift-after-sim-swap'),
      redemptions,
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ version: expect.stringMatching(/^\d+$/), updatedBy: expect.any(String) });
    try {
      // In force at once (every instance hears of the change).
      const phone = phoneNumber(1, '9911');
      expect((await prepare(giftShop, phone)).body.paymentStatus).toBe('pending_validation');
    } finally {
      await operator('PUT', '/risk/rules', { payments: rules, redemptions });
    }
  });
});

describe('redemption signals', () => {
  const GC = () => `${gw.url}/gift-certificates/v1`;
  /** A certificate bought with a one-step charge by a number of its own (or `phone`). */
  async function certificate(phone = phoneNumber(3), amount = 10_000): Promise<Certificate & { phone: string }> {
    const paid = await http('POST', PAY(), { token: vouchers.token, body: prepareBody(phone, { amount }) });
    expect(paid.body.paymentStatus).toBe('succeeded');
    const [bought] = (
      await http<Certificate[]>('GET', `${GC()}/certificates?paymentId=${String(paid.body.paymentId)}`, {
        token: vouchers.token,
      })
    ).body;
    if (!bought) throw new Error('no certificate');
    return { ...bought, phone };
  }
  const redeem = (code: string, accountId?: string, ipAddress?: string) =>
    http('POST', `${GC()}/redemptions`, {
      token: vouchers.token,
      body: { code, ...(accountId ? { redeemer: { accountId, ...(ipAddress ? { ipAddress } : {}) } } : {}) },
    });
  const balanceOf = async (c: Certificate) =>
    (await http<Certificate>('GET', `${GC()}/certificates/${c.certificateId}`, { token: vouchers.token })).body.balance
      .amount;

  it('holds an account collecting certificates bought by a third number; released, the redemption stands', async () => {
    const account = `collector-${Date.now()}`;
    const [first, second, third] = [await certificate(), await certificate(), await certificate()];
    expect((await redeem(first.code, account)).status).toBe(201);
    expect((await redeem(second.code, account)).status).toBe(201);
    const held = await redeem(third.code, account);
    expect(held.status).toBe(202);
    expect(held.body).toMatchObject({ status: 'held', balance: { amount: 0 } });
    // Reserved: the balance cannot be spent twice meanwhile.
    expect((await redeem(third.code, 'someone-else')).status).toBe(410);

    const id = String(held.body.redemptionId);
    const queue = (await operator('GET', '/risk/reviews')).body.reviews as Array<Record<string, unknown>>;
    expect(queue.find((r) => r.reviewId === id)).toMatchObject({
      kind: 'redemption',
      phoneNumber: third.phone,
      redeemer: { accountId: account },
      reasons: [{ rule: 'collector-account', why: 'account collected from 3 numbers' }],
    });
    expect((await operator('POST', `/risk/reviews/${id}/approve`)).body).toMatchObject({ status: 'completed' });
    const seen = await http('GET', `${GC()}/redemptions/${id}`, { token: vouchers.token });
    expect(seen.body).toMatchObject({ status: 'completed', amountRedeemed: { amount: 10_000 } });
    expect(await balanceOf(third)).toBe(0);
  });

  it('refused, the amount goes back and the redeemer is flagged: its next redemption is held too', async () => {
    const account = `broker-${Date.now()}`;
    const address = '203.0.113.7';
    const [first, second, third] = [await certificate(), await certificate(), await certificate()];
    await redeem(first.code, account, address);
    await redeem(second.code, account, address);
    const held = await redeem(third.code, account, address);
    expect(held.status).toBe(202);
    const refused = await operator('POST', `/risk/reviews/${String(held.body.redemptionId)}/decline`);
    expect(refused.body).toMatchObject({ status: 'refused' });
    expect(await balanceOf(third)).toBe(10_000);
    // The broker still holds the code: another account, or none named, is held all the same.
    expect((await redeem(third.code, `fresh-${Date.now()}`)).status).toBe(202);

    // The first number's next certificate, redeemed again by the flagged account: held for its flag.
    const again = await redeem((await certificate(first.phone)).code, account);
    expect(again.status).toBe(202);
    const queue = (await operator('GET', '/risk/reviews')).body.reviews as Array<Record<string, unknown>>;
    const review = queue.find((r) => r.reviewId === again.body.redemptionId) as { reasons: Array<{ rule: string }> };
    expect(review.reasons.map((r) => r.rule)).toContain('flagged-redeemer');
  });

  it('holds a certificate redeemed minutes after issue by an account other than the buyer’s first redeemer', async () => {
    const phone = phoneNumber(3);
    const own = await certificate(phone);
    expect((await redeem(own.code, `own-${Date.now()}`)).status).toBe(201);
    const held = await redeem((await certificate(phone)).code, `stranger-${Date.now()}`);
    expect(held.status).toBe(202);
    // Without a named redeemer nothing tells: the redemption stands.
    expect((await redeem((await certificate(phone)).code)).status).toBe(201);
  });

  it('counts one address however it is written, and an IPv6 client by its /64: the fifth buying number is held', async () => {
    const stamp = Date.now();
    const forms = ['2001:db8:77:1::5', '2001:DB8:77:1:0:0:0:6', '2001:0db8:0077:0001::7', '2001:db8:77:1:ffff::8'];
    for (const [i, address] of forms.entries()) {
      expect((await redeem((await certificate()).code, `mule-${stamp}-${i}`, address)).status).toBe(201);
    }
    const fifth = await redeem((await certificate()).code, `mule-${stamp}-4`, '2001:db8:77:1::9');
    expect(fifth.status).toBe(202);
    const queue = (await operator('GET', '/risk/reviews')).body.reviews as Array<Record<string, unknown>>;
    expect(queue.find((r) => r.reviewId === fifth.body.redemptionId)).toMatchObject({
      redeemer: { ipAddress: '2001:db8:77:1::/64' },
      reasons: [{ rule: 'collector-address' }],
    });
  });

  it('counts one collector’s concurrent redemptions one after the other: of 5 numbers, exactly 2 go through', async () => {
    const account = `rush-${Date.now()}`;
    const bought = await Promise.all(Array.from({ length: 5 }, () => certificate()));
    const replies = await Promise.all(bought.map((c) => redeem(c.code, account)));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 201, 202, 202, 202]);
  });
});
