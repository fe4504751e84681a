import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireLapsedPayments } from '../../src/jobs/expiry.js';
import { http, ledger, newMerchant, phoneNumber, prepareBody, type Merchant } from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * Issue 14, part 4: a reservation whose answer was lost (magic number 9909: the carrier makes it,
 * the reply never comes) is not left holding the subscriber's headroom. The payment's reference,
 * written before the carrier is asked, finds it again where the carrier can be asked (charlie,
 * OneAPI, by clientCorrelator) and it is released; where it cannot (alpha, Parlay X 2.1 has no
 * reference on reserveAmount) the audit trail says it is left to lapse at the carrier.
 */
let gw: TestGateway;
let shop: Merchant;
let clockOffsetMs = 0;
const NEVER = '0 0 0 1 1 *';

beforeAll(async () => {
  const clock = { now: () => new Date(Date.now() + clockOffsetMs) };
  gw = await startTestGateway(
    { payments: { reservedTtlSeconds: 900, expirySchedule: NEVER }, recovery: { schedule: NEVER } },
    clock,
  );
  shop = await newMerchant(gw, { name: 'Leak Shop' });
});
afterAll(async () => gw?.stop());

/** A prepare whose reserve times out; the payment it leaves, ended. */
async function unansweredPrepare(digit: 1 | 3): Promise<{ id: string; phone: string }> {
  const phone = phoneNumber(digit, '9909');
  const reply = await http('POST', `${gw.url}/carrier-billing/v0.5/payments/prepare`, {
    token: shop.token,
    body: prepareBody(phone),
  });
  expect(reply.status).toBe(503);
  // A prepare refused at the carrier leaves no payment a merchant or a search sees; the database has it.
  const { rows } = await gw.database.query<{ id: string; carrier_id: string; status: string }>(
    'SELECT id, carrier_id, status FROM payments WHERE phone_number = $1',
    [phone],
  );
  expect(rows.map((p) => [p.carrier_id, p.status])).toEqual([[digit === 1 ? 'alpha' : 'charlie', 'rejected']]);
  return { id: rows[0]?.id ?? '', phone };
}

const events = async (id: string) =>
  ((await http('GET', `${gw.url}/admin/v1/payments/${id}`, { token: gw.operatorToken })).body.timeline ?? []).map(
    (e) => e.event,
  );

/** The expiry job, a little over a minute on: it retries releases left undone for a minute. */
async function expiryLater() {
  clockOffsetMs += 65_000;
  await expireLapsedPayments(gw.context);
}

describe('a reservation whose answer was lost', () => {
  it('is found by the payment reference at a OneAPI carrier and released', async () => {
    const { id, phone } = await unansweredPrepare(3);
    expect((await ledger(gw, 'charlie', phone)).openReservations).toHaveLength(1);
    await expiryLater();
    expect((await ledger(gw, 'charlie', phone)).openReservations).toEqual([]);
    expect(await events(id)).toContain('reservation_released');
  });

  it('is left to lapse at a Parlay X carrier, and the audit trail says so', async () => {
    const { id, phone } = await unansweredPrepare(1);
    await expiryLater();
    expect(await events(id)).toContain('reservation_left_to_lapse');
    // The simulated carrier still holds it; it lapses there (SIMULATOR_RESERVATION_LAPSE_SECONDS).
    expect((await ledger(gw, 'alpha', phone)).openReservations).toHaveLength(1);
  });
});
