import { randomInt } from 'node:crypto';
import { http, latestCode, newMerchant, prepareBody, tokenFor, type Certificate } from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * `npm run bench -- risk`: a month of gift-certificate purchases through the whole gateway (HTTP,
 * the simulated carriers over the network, PostgreSQL, Redis) with the default risk rules, on a
 * clock that walks through the month: a normal population and a cash-out ring side by side.
 *
 * - Normal: each number buys 1–3 certificates (10,000–50,000 KRW) at random times of the month and
 *   redeems each into its own account, from its own address, hours later; one certificate in 50 is
 *   a gift, redeemed by someone else's account.
 * - Ring: numbers (a sixth of them with a SIM swapped 2 hours ago, a sixth on a 3-day-old line)
 *   buy 50,000 KRW certificates every 10–20 minutes until refused, and the broker redeems each
 *   within minutes into one of three accounts, from one address.
 *
 * Printed: the ring's money stopped (refused, held, or bought but left unredeemable), normal
 * purchases and redemptions touched (held or refused), and the latency the rules add to a prepare.
 */
export interface RiskBenchOptions {
  population: number;
  ring: number;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const RING_PRICE = 50_000;

type Outcome = 'allowed' | 'held' | 'refused';

interface Purchase {
  at: number;
  phone: string;
  amount: number;
  ring: boolean;
  redeemAfterMs: number;
  redeemer: { accountId: string; ipAddress: string };
}

export async function benchRisk(options: RiskBenchOptions): Promise<void> {
  process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
  // The month ends now: the simulated carriers' SIM swaps and line ages are relative to the real clock.
  const monthStart = Date.now() - 30 * DAY;
  let simulated = monthStart;
  const gw = await startTestGateway(
    {
      // The rules alone are measured: no rate limit gets in the way of a month replayed in minutes.
      limits: { paymentRequestsPerMerchantPerSecond: 100_000, codesPerMerchantPerMinute: 10_000_000 },
      otp: { resendCooldownSeconds: 0, sendsPerPhonePerHour: 1_000 },
      payments: { reservedTtlSeconds: 900, expirySchedule: '0 0 0 1 1 *' },
    },
    { now: () => new Date(simulated) },
  );
  try {
    const shop = await newMerchant(gw, { name: 'Gift Mall' });
    await http('PATCH', `${gw.url}/admin/v1/merchants/${shop.merchantId}`, {
      token: gw.operatorToken,
      body: { category: 'gift_certificate' },
    });
    let token = shop.token;
    let tokenAt = simulated;
    const freshToken = async () => {
      // Tokens live an hour of the gateway's clock, which walks through a month here.
      if (simulated - tokenAt > 50 * MINUTE) {
        token = await tokenFor(gw, shop.clientId, shop.clientSecret);
        tokenAt = simulated;
      }
      return token;
    };

    const purchases = [...normalPurchases(options.population, monthStart), ...ringPurchases(options.ring, monthStart)];
    const figures = newFigures();
    const certificates: Array<{ purchase: Purchase; code: string; at: number }> = [];

    // The month, purchase by purchase; a ring number stops at its first refusal (its limits).
    const stoppedRingNumbers = new Set<string>();
    purchases.sort((a, b) => a.at - b.at);
    const started = performance.now();
    for (const purchase of purchases) {
      if (purchase.ring && stoppedRingNumbers.has(purchase.phone)) continue;
      simulated = purchase.at;
      const result = await buy(gw, await freshToken(), purchase);
      figures.count(purchase, result.outcome);
      if (result.outcome === 'refused' && purchase.ring) stoppedRingNumbers.add(purchase.phone);
      if (result.code) certificates.push({ purchase, code: result.code, at: purchase.at + purchase.redeemAfterMs });
    }
    // Redemptions in their own order, on the same clock.
    certificates.sort((a, b) => a.at - b.at);
    for (const { purchase, code, at } of certificates) {
      simulated = at;
      const reply = await http('POST', `${gw.url}/gift-certificates/v1/redemptions`, {
        token: await freshToken(),
        body: { code, redeemer: purchase.redeemer },
      });
      figures.redeemed(purchase, reply.status === 201 ? 'allowed' : reply.status === 202 ? 'held' : 'refused');
    }
    const replaySeconds = (performance.now() - started) / 1000;

    const added = await addedLatency(gw, async () => {
      simulated += MINUTE;
      return freshToken();
    });
    figures.print({ replaySeconds, added, purchases: purchases.length, redemptions: certificates.length });
  } finally {
    await gw.stop();
  }
}

function normalPurchases(population: number, monthStart: number): Purchase[] {
  const purchases: Purchase[] = [];
  for (let n = 0; n < population; n++) {
    const phone = numberOf(n, 'normal');
    const own = { accountId: `member-${n}`, ipAddress: `10.${(n >> 8) & 255}.${n & 255}.${randomInt(1, 255)}` };
    for (let k = randomInt(1, 4); k > 0; k--) {
      // Someone else's account now and then: a certificate given as a present.
      const gift = randomInt(50) === 0;
      purchases.push({
        at: monthStart + randomInt(0, 29 * DAY),
        phone,
        amount: randomInt(1, 6) * 10_000,
        ring: false,
        redeemAfterMs: randomInt(2 * HOUR, 48 * HOUR),
        redeemer: gift ? { accountId: `friend-${n}`, ipAddress: `10.200.${n & 255}.${randomInt(1, 255)}` } : own,
      });
    }
  }
  return purchases;
}

function ringPurchases(ring: number, monthStart: number): Purchase[] {
  const purchases: Purchase[] = [];
  const brokerAddress = '198.51.100.23';
  let certificate = 0;
  for (let n = 0; n < ring; n++) {
    // A sixth with a fresh SIM swap (…9911), a sixth on a new line (…9912).
    const kind = n % 6 === 0 ? 'swapped' : n % 6 === 1 ? 'new-line' : 'ring';
    const phone = numberOf(RING_BASE + n, kind);
    let at = monthStart + randomInt(0, 28 * DAY);
    // Up to the gift-certificate cap and beyond: the number stops at its first refusal.
    for (let k = 0; k < 8; k++) {
      purchases.push({
        at,
        phone,
        amount: RING_PRICE,
        ring: true,
        redeemAfterMs: randomInt(2 * MINUTE, 10 * MINUTE),
        redeemer: { accountId: `broker-${certificate++ % 3}`, ipAddress: brokerAddress },
      });
      at += randomInt(10 * MINUTE, 20 * MINUTE);
    }
  }
  return purchases;
}

/**
 * Distinct Korean mobile numbers on the three simulated carriers, one per index (the normal
 * population from 0, the ring from RING_BASE, the latency probe from PROBE_BASE); the last four
 * digits choose the line's history at the simulated carrier.
 */
function numberOf(index: number, kind: 'normal' | 'ring' | 'swapped' | 'new-line'): string {
  const carrier = (index % 3) + 1;
  const middle = String(Math.floor(index / 3) % 1000).padStart(3, '0');
  const tail =
    kind === 'swapped'
      ? '9911'
      : kind === 'new-line'
        ? '9912'
        : String(1000 + Math.floor(index / 3000)).padStart(4, '0');
  return `+8210${carrier}${middle}${tail}`;
}
const RING_BASE = 30_000;
const PROBE_BASE = 60_000;

/** A two-step purchase as a phone user makes it: prepare, the SMS code, validate, confirm, the certificate. */
async function buy(gw: TestGateway, token: string, p: Purchase): Promise<{ outcome: Outcome; code?: string }> {
  const prepared = await http('POST', `${gw.url}/carrier-billing/v0.5/payments/prepare`, {
    token,
    body: prepareBody(p.phone, { amount: p.amount, description: 'Gift certificate' }),
  });
  if (prepared.status !== 201) return { outcome: 'refused' };
  if (prepared.body.paymentStatus !== 'pending_validation') return { outcome: 'held' };
  const id = String(prepared.body.paymentId);
  const pay = `${gw.url}/carrier-billing/v0.5/payments/${id}`;
  await http('POST', `${pay}/validate`, {
    token,
    body: { authorizationId: prepared.body.validationInfo?.authorizationId, code: await latestCode(gw, p.phone) },
  });
  const confirmed = await http('POST', `${pay}/confirm`, { token, body: { phoneNumber: p.phone } });
  if (confirmed.status >= 300) return { outcome: 'refused' };
  const [certificate] = (
    await http<Certificate[]>('GET', `${gw.url}/gift-certificates/v1/certificates?paymentId=${id}`, { token })
  ).body;
  return { outcome: 'allowed', ...(certificate ? { code: certificate.code } : {}) };
}

/**
 * What the rules add to a prepare: the same prepares (fresh normal numbers, so the carrier's
 * answers are asked, not cached), alternately with the default rules and with none.
 */
async function addedLatency(gw: TestGateway, nextMinute: () => Promise<string>) {
  const rules = await http('GET', `${gw.url}/admin/v1/risk/rules`, { token: gw.operatorToken });
  const strip = (list: unknown) => (list as Array<Record<string, unknown>>).map((r) => ({ ...r, hits: undefined }));
  const defaults = { payments: strip(rules.body.payments), redemptions: strip(rules.body.redemptions) };
  const put = (body: unknown) => http('PUT', `${gw.url}/admin/v1/risk/rules`, { token: gw.operatorToken, body });
  const samples = { with: [] as number[], without: [] as number[] };
  for (let round = 0; round < 6; round++) {
    const withRules = round % 2 === 0;
    await put(withRules ? defaults : { payments: [], redemptions: [] });
    for (let i = 0; i < 100; i++) {
      const token = await nextMinute();
      const phone = numberOf(PROBE_BASE + round * 100 + i, 'normal');
      const started = performance.now();
      const reply = await http('POST', `${gw.url}/carrier-billing/v0.5/payments/prepare`, {
        token,
        body: prepareBody(phone, { amount: 10_000 }),
      });
      if (reply.status === 201) (withRules ? samples.with : samples.without).push(performance.now() - started);
    }
  }
  await put(defaults);
  return { withP50: median(samples.with), withoutP50: median(samples.without), samples: samples.with.length };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function newFigures() {
  const money = { ring: { attempted: 0, refused: 0, held: 0, bought: 0, redeemed: 0, redemptionHeld: 0 } };
  const normal = { purchases: 0, touched: 0, redemptions: 0, redemptionsHeld: 0 };
  return {
    count(p: Purchase, outcome: Outcome) {
      if (p.ring) {
        money.ring.attempted += p.amount;
        if (outcome === 'refused') money.ring.refused += p.amount;
        else if (outcome === 'held') money.ring.held += p.amount;
        else money.ring.bought += p.amount;
      } else {
        normal.purchases += 1;
        if (outcome !== 'allowed') normal.touched += 1;
      }
    },
    redeemed(p: Purchase, outcome: Outcome) {
      if (p.ring) {
        if (outcome === 'allowed') money.ring.redeemed += p.amount;
        else money.ring.redemptionHeld += p.amount;
      } else {
        normal.redemptions += 1;
        if (outcome !== 'allowed') normal.redemptionsHeld += 1;
      }
    },
    print(run: {
      replaySeconds: number;
      added: { withP50: number; withoutP50: number; samples: number };
      purchases: number;
      redemptions: number;
    }) {
      const r = money.ring;
      const pct = (part: number, whole: number) => `${((100 * part) / Math.max(whole, 1)).toFixed(2)} %`;
      const won = (minor: number) => `${minor.toLocaleString('en-US')} KRW`;
      console.log(`risk bench: ${run.purchases} purchase attempts and ${run.redemptions} redemptions in ${run.replaySeconds.toFixed(0)} s
cash-out ring: ${won(r.attempted)} attempted
  refused at purchase (rules, category cap)  ${won(r.refused)}
  held at purchase (review)                  ${won(r.held)}
  bought, redemption held                    ${won(r.redemptionHeld)}
  bought and redeemed (got through)          ${won(r.redeemed)}
  stopped                                    ${pct(r.attempted - r.redeemed, r.attempted)}   (goal ≥ 95 %)
normal population: ${normal.purchases} purchases, ${normal.redemptions} redemptions
  purchases denied or held                   ${normal.touched} (${pct(normal.touched, normal.purchases)})   (goal ≤ 0.5 %)
  redemptions held                           ${normal.redemptionsHeld} (${pct(normal.redemptionsHeld, normal.redemptions)})
latency of a prepare, p50 over ${run.added.samples} each: ${run.added.withP50.toFixed(2)} ms with the default rules, ${run.added.withoutP50.toFixed(2)} ms with none
  added by the rules                         ${(run.added.withP50 - run.added.withoutP50).toFixed(2)} ms   (goal ≤ 5 ms)`);
    },
  };
}
