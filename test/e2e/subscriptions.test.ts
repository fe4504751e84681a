import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renewDueSubscriptions } from '../../src/services/subscriptions/due.js';
import {
  http,
  inbox,
  latestCode,
  ledger,
  newMerchant,
  phoneNumber,
  tokenFor,
  type Merchant,
} from '../helpers/client.js';
import { runCli } from '../helpers/cli.js';
import { start } from '../../src/main.js';
import { startTestGateway, testCarriers, type TestGateway } from '../helpers/gateway.js';

/**
 * Issue 16, part 2: subscriptions (CONTRACTS §6). The first charge at confirmation, then one per
 * period by the renewal job (run here by the test on a moved clock), on the carrier's calendar
 * (KST): a subscription started on 31 January renews on 28 February and 31 March. A declined
 * renewal is tried again, and cancelling at the period's end charges nothing more.
 */
let gw: TestGateway;
let shop: Merchant;
let now = new Date('2027-01-31T01:00:00Z'); // 31 January 2027, 10:00 in Seoul
const SUBS = () => `${gw.url}/subscriptions/v1/subscriptions`;

beforeAll(async () => {
  gw = await startTestGateway(
    // The renewal job runs when the test says (and the expiry job never).
    { subscriptions: { schedule: '0 0 0 1 1 *', reminderLeadDays: 3, retryDelaysHours: [24, 48] } },
    { now: () => now },
  );
  shop = await newMerchant(gw, { name: 'Webtoon Pass' });
});
afterAll(async () => gw?.stop());

/** Moves the gateway's clock, and renews what is due then; a token that is valid at that time. */
async function at(iso: string) {
  now = new Date(iso);
  await renewDueSubscriptions(gw.context);
  return tokenFor(gw, shop.clientId, shop.clientSecret);
}

async function subscribe(phone: string, amount = 9_900) {
  const token = await tokenFor(gw, shop.clientId, shop.clientSecret);
  const asked = await http('POST', SUBS(), {
    token,
    body: { phoneNumber: phone, description: 'Webtoon pass', amount: { amount, currency: 'KRW' }, period: 'P1M' },
  });
  expect(asked.body).toMatchObject({ status: 'pending_validation', validationInfo: { action: 'validate' } });
  expect((await inbox(gw, phone)).at(-1)?.text).toContain('9,900 KRW every month');
  const active = await http('POST', `${SUBS()}/${String(asked.body.subscriptionId)}/validate`, {
    token,
    body: { authorizationId: asked.body.validationInfo?.authorizationId, code: await latestCode(gw, phone) },
  });
  return active;
}

const charges = async (phone: string) =>
  (await ledger(gw, 'alpha', phone)).entries.filter((e) => e.type === 'charge').length;

describe('a monthly subscription', () => {
  it('charges at confirmation, reminds before each renewal, and renews on the last day of shorter months', async () => {
    now = new Date('2027-01-31T01:00:00Z');
    const phone = phoneNumber(1);
    const active = await subscribe(phone);
    expect(active.body).toMatchObject({
      status: 'active',
      nextChargeAt: '2027-02-28T01:00:00.000Z',
      charges: [{ period: 0, status: 'succeeded' }],
    });
    const id = String(active.body.subscriptionId);
    expect(await charges(phone)).toBe(1);

    await at('2027-02-25T02:00:00Z');
    expect((await inbox(gw, phone)).at(-1)?.text).toContain('will charge 9,900 KRW to your phone bill on 2027-02-28');
    expect(await charges(phone)).toBe(1);

    // The three instances' renewal jobs at once: the period is charged once.
    now = new Date('2027-02-28T01:00:05Z');
    await Promise.all([1, 2, 3].map(() => renewDueSubscriptions(gw.context)));
    const token = await tokenFor(gw, shop.clientId, shop.clientSecret);
    const renewed = await http('GET', `${SUBS()}/${id}`, { token });
    expect(renewed.body).toMatchObject({ status: 'active', nextChargeAt: '2027-03-31T01:00:00.000Z' });
    expect(await charges(phone)).toBe(2);
    // The renewal's SMS (its gift certificate) is also the receipt, saying how to stop.
    expect((await inbox(gw, phone)).at(-1)?.text).toContain('reply STOP');

    const third = await at('2027-03-31T01:00:05Z');
    expect((await http('GET', `${SUBS()}/${id}`, { token: third })).body).toMatchObject({
      nextChargeAt: '2027-04-30T01:00:00.000Z',
      charges: [{ period: 0 }, { period: 1 }, { period: 2 }],
    });
    expect(await charges(phone)).toBe(3);
  });

  it("tries a declined renewal again, and charges nothing more once cancelled at the period's end", async () => {
    now = new Date('2027-01-31T01:00:00Z');
    const phone = phoneNumber(1);
    const id = String((await subscribe(phone)).body.subscriptionId);
    // The phone user's own limit of 0 declines the renewal; raised again, the retry goes through.
    await gw.context.store.phoneControls.setLimit(phone, 0n, now);
    const declined = await at('2027-02-28T01:00:05Z');
    expect((await http('GET', `${SUBS()}/${id}`, { token: declined })).body).toMatchObject({
      status: 'past_due',
      nextChargeAt: '2027-03-01T01:00:05.000Z',
    });
    await gw.context.store.phoneControls.setLimit(phone, null, now);
    const retried = await at('2027-03-01T01:00:06Z');
    expect((await http('GET', `${SUBS()}/${id}`, { token: retried })).body).toMatchObject({
      status: 'active',
      nextChargeAt: '2027-03-31T01:00:00.000Z',
    });
    expect(await charges(phone)).toBe(2);

    const cancelled = await http('DELETE', `${SUBS()}/${id}?at=period_end`, { token: retried });
    expect(cancelled.body).toMatchObject({ status: 'active', cancelsAt: '2027-03-31T01:00:00.000Z' });
    const after = await at('2027-03-31T01:00:05Z');
    expect((await http('GET', `${SUBS()}/${id}`, { token: after })).body.status).toBe('cancelled');
    expect(await charges(phone)).toBe(2);
  });

  it('is suspended after its last try, and refused for a period it does not know', async () => {
    now = new Date('2027-01-31T01:00:00Z');
    const phone = phoneNumber(1);
    const id = String((await subscribe(phone)).body.subscriptionId);
    await gw.context.store.phoneControls.setLimit(phone, 0n, now);
    await at('2027-02-28T01:00:05Z');
    await at('2027-03-01T01:00:06Z');
    const last = await at('2027-03-03T01:00:07Z');
    expect((await http('GET', `${SUBS()}/${id}`, { token: last })).body.status).toBe('suspended');
    const weird = await http('POST', SUBS(), {
      token: last,
      body: { phoneNumber: phone, description: 'Daily', amount: { amount: 100, currency: 'KRW' }, period: 'P1D' },
    });
    expect(weird.body).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' });
  });
});

describe('subscriptions for operators', () => {
  it("lists a number's subscriptions of every merchant and cancels one, audited; the command line does the same", async () => {
    now = new Date('2027-01-31T01:00:00Z');
    const phone = phoneNumber(1);
    const first = String((await subscribe(phone)).body.subscriptionId);
    const listed = await http<Array<Record<string, unknown>>>(
      'GET',
      `${gw.url}/admin/v1/subscriptions?phoneNumber=${encodeURIComponent(phone)}`,
      { token: gw.operatorToken },
    );
    expect(listed.body).toEqual([expect.objectContaining({ subscriptionId: first, merchantId: shop.merchantId })]);
    const cancelled = await http('POST', `${gw.url}/admin/v1/subscriptions/${first}/cancel`, {
      token: gw.operatorToken,
    });
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      cancelledBy: expect.stringMatching(/^(operator|setup):/),
    });
    if (!process.env.DATABASE_URL) return;
    const second = String((await subscribe(phone)).body.subscriptionId);
    expect(await runCli(gw, 'subscriptions', 'cancel', second, '--json')).toMatchObject({
      subscriptionId: second,
      status: 'cancelled',
      cancelledBy: expect.stringMatching(/^cli:/),
    });
  });
});

describe.skipIf(!process.env.DATABASE_URL)('renewals on three gateway instances', () => {
  it("charge each period once when every instance's renewal job runs at the same moment", async () => {
    const config = gw.context.config;
    const instance = () =>
      start({
        clock: { now: () => now },
        env: {
          DATABASE_URL: config.databaseUrl,
          REDIS_URL: config.redisUrl,
          REDIS_PREFIX: config.redisPrefix,
          MASTER_KEY: config.masterKey,
          SIMULATOR_URL: gw.simulatorUrl,
          LOG_LEVEL: 'silent',
        },
        overrides: {
          env: 'test',
          port: 0,
          dataDir: 'memory://',
          simulator: { enabled: false, port: 0 },
          carriers: testCarriers(),
          subscriptions: { schedule: '0 0 0 1 1 *', reminderLeadDays: 3, retryDelaysHours: [24, 48] },
        },
      });
    const others = await Promise.all([instance(), instance()]);
    try {
      now = new Date('2027-01-31T01:00:00Z');
      const phones = [phoneNumber(1), phoneNumber(1), phoneNumber(1)];
      for (const phone of phones) await subscribe(phone);
      for (const day of ['2027-02-28T01:00:05Z', '2027-03-31T01:00:05Z']) {
        now = new Date(day);
        await Promise.all([gw, ...others].map((g) => renewDueSubscriptions(g.context)));
      }
      expect(await Promise.all(phones.map(charges))).toEqual([3, 3, 3]);
    } finally {
      await Promise.all(others.map((o) => o.stop()));
    }
  });
});
