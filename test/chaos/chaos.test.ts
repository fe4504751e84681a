import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { defaults } from '../../config/default.js';
import { chargeOperations } from '../helpers/charge-operations.js';
import { freshDatabase } from '../helpers/database.js';
import { freePort, kill, runTs, startSimulatorProcess, waitUntilUp } from '../helpers/processes.js';
import { sleep } from '../helpers/wait.js';

/**
 * Chaos: a few hundred payments across the three carriers, with random magic numbers, while the
 * gateway process is killed with SIGKILL at random moments and restarted. Then recovery runs, and
 * an audit compares the simulator's ledger with the gateway's records. It needs a real PostgreSQL
 * server (DATABASE_URL): the embedded one lives inside the process being killed.
 */
const PAYMENTS = 240;
const CONCURRENCY = 12;
const MAX_KILLS = 6;
const OPERATOR_TOKEN = randomBytes(24).toString('base64url');
const CARRIER_IDS = ['alpha', 'bravo', 'charlie'] as const;
const SUFFIXES = ['', '', '', '', '9904', '9905', '9906', '9901'];
/** Weekly subscriptions that, ten weeks late by their anchors, renew period after period during the kills. */
const SUBSCRIPTIONS = 9;
const LATE_PERIODS = 10;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

describe.skipIf(!process.env.DATABASE_URL)('chaos: SIGKILL during a few hundred payments and renewals', () => {
  it('loses no charge, charges nothing twice, and leaves only alpha unknowns in manual review', async () => {
    const database = await freshDatabase();
    cleanups.push(() => database.drop());
    const simulator = await startSimulatorProcess();
    cleanups.push(() => kill(simulator.child, 'SIGTERM'));

    const dir = await mkdtemp(join(tmpdir(), 'cbg-chaos-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const carriersFile = join(dir, 'carriers.json');
    await writeFile(
      carriersFile,
      JSON.stringify(
        defaults.carriers.map((c) => ({
          ...c,
          timeoutsMs: {
            ...c.timeoutsMs,
            chargeReservation: 800,
            chargeAmount: 800,
            refundAmount: 800,
            reserveAmount: 1500,
            releaseReservation: 1500,
            sendSms: 1500,
            statusQuery: 1500,
          },
          retry: { attempts: 3, backoffMs: 20 },
          circuitBreaker: { failureThreshold: 100_000, openSeconds: 1 },
        })),
      ),
    );
    const port = await freePort();
    const gatewayUrl = `http://127.0.0.1:${port}`;
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: process.env.REDIS_URL,
      REDIS_PREFIX: `cbg-chaos-${randomBytes(4).toString('hex')}:`,
      PORT: String(port),
      SIMULATOR: 'off',
      SIMULATOR_URL: simulator.url,
      OPERATOR_TOKEN,
      MASTER_KEY: randomBytes(32).toString('hex'),
      GATEWAY_ENV: 'test',
      LOG_LEVEL: 'silent',
      CARRIERS_FILE: carriersFile,
      RECOVERY_SCHEDULE: '* * * * * *',
      RECOVERY_GRACE_SECONDS: '3',
      RECOVERY_MAX_ATTEMPTS: '3',
      RECOVERY_RETRY_AFTER_SECONDS: '1',
      EXPIRY_SCHEDULE: '*/2 * * * * *',
      SUBSCRIPTION_SCHEDULE: '* * * * * *',
      // The merchant's request rate is not what this test is about: on a fast machine twelve workers
      // pass 50 a second, and a 429 ends a payment's drive at once, which speeds the next into a 429.
      PAYMENT_REQUESTS_PER_MERCHANT_PER_SECOND: '100000',
      READ_REQUESTS_PER_MERCHANT_PER_SECOND: '100000',
      WRITE_REQUESTS_PER_MERCHANT_PER_SECOND: '100000',
    };
    let gateway: ChildProcess | undefined;
    const gatewayLog = join(dir, 'gateway.log');
    const startGateway = async () => {
      for (let attempt = 1; ; attempt++) {
        gateway = runTs('src/serve.ts', env, gatewayLog);
        try {
          await waitUntilUp(gatewayUrl);
          return;
        } catch (error) {
          await kill(gateway, 'SIGKILL');
          if (attempt === 3)
            throw new Error(`the gateway did not start: ${(await readFile(gatewayLog, 'utf8')).slice(-2000)}`, {
              cause: error,
            });
        }
      }
    };
    cleanups.push(() => kill(gateway, 'SIGTERM'));
    await startGateway();

    // A merchant allowed both flows, and its token (tokens live in the database, so restarts keep them).
    const created = (await (
      await fetch(`${gatewayUrl}/admin/v1/merchants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Chaos Shop', oneStepPayments: true }),
      })
    ).json()) as { clientId: string; clientSecret: string };
    const tokenReply = (await (
      await fetch(`${gatewayUrl}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: created.clientId,
          client_secret: created.clientSecret,
        }),
      })
    ).json()) as { access_token: string };
    const token = tokenReply.access_token;

    /** One request, repeated across gateway deaths until the gateway answers it. */
    const send = async (
      method: string,
      path: string,
      body?: unknown,
    ): Promise<{ status: number; json: Record<string, unknown> }> => {
      for (let attempt = 0; attempt < 120; attempt++) {
        try {
          const response = await fetch(`${gatewayUrl}${path}`, {
            method,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          const text = await response.text();
          return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
        } catch {
          await sleep(250);
        }
      }
      throw new Error(
        `${method} ${path} never answered; gateway log: ${(await readFile(gatewayLog, 'utf8')).slice(-2000)}`,
      );
    };
    const latestCode = async (phone: string) => {
      for (let i = 0; i < 20; i++) {
        const messages = (await (
          await fetch(`${simulator.url}/simulator/v1/sms?to=${encodeURIComponent(phone)}`)
        ).json()) as Array<{ text: string }>;
        const code = /Code: (\d{6})/.exec(messages.at(-1)?.text ?? '')?.[1];
        if (code) return code;
        await sleep(100);
      }
      return '000000';
    };

    // Subscriptions, confirmed (their first period charged), then made ten weeks late: the renewal
    // job catches up period by period while the gateway is being killed.
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    cleanups.push(() => db.end());
    for (let i = 0; i < SUBSCRIPTIONS; i++) {
      const phone = `+8210${1 + (i % 3)}777${String(1000 + i)}`;
      const asked = await send('POST', '/subscriptions/v1/subscriptions', {
        phoneNumber: phone,
        description: 'Chaos club',
        amount: { amount: 1000, currency: 'KRW' },
        period: 'P1W',
      });
      const authorizationId = (asked.json.validationInfo as { authorizationId?: string } | undefined)?.authorizationId;
      await send('POST', `/subscriptions/v1/subscriptions/${String(asked.json.subscriptionId)}/validate`, {
        authorizationId,
        code: await latestCode(phone),
      });
    }
    await db.query(
      `UPDATE subscriptions SET anchor_at = anchor_at - make_interval(days => $1 * 7),
              next_charge_at = anchor_at - make_interval(days => ($1 - 1) * 7)
        WHERE status = 'active' AND next_period = 1`,
      [LATE_PERIODS],
    );

    const drive = async (i: number) => {
      const digit = 1 + Math.floor(Math.random() * 3);
      const suffix = pick(SUFFIXES) || `1${String(i % 1000).padStart(3, '0')}`;
      const phone = `+8210${digit}${String(i).padStart(3, '0')}${suffix}`;
      const body = {
        amountTransaction: {
          phoneNumber: phone,
          clientCorrelator: `chaos-${i}`,
          referenceCode: `order-${i}`,
          paymentAmount: { chargingInformation: { amount: 1000 + i, currency: 'KRW', description: 'Chaos voucher' } },
        },
      };
      if (Math.random() < 0.25) {
        await send('POST', '/carrier-billing/v0.5/payments', body);
        return;
      }
      const prepared = await send('POST', '/carrier-billing/v0.5/payments/prepare', body);
      const id = prepared.json.paymentId as string | undefined;
      const authorizationId = (prepared.json.validationInfo as { authorizationId?: string } | undefined)
        ?.authorizationId;
      if (prepared.status !== 201 || !id || !authorizationId) return;
      const validated = await send('POST', `/carrier-billing/v0.5/payments/${id}/validate`, {
        authorizationId,
        code: await latestCode(phone),
      });
      if (validated.status !== 204 && validated.status !== 409) return;
      await send('POST', `/carrier-billing/v0.5/payments/${id}/confirm`, { phoneNumber: phone });
    };

    let kills = 0;
    let driving = true;
    const killer = (async () => {
      while (driving && kills < MAX_KILLS) {
        await sleep(1500 + Math.random() * 2500);
        if (!driving) break;
        await kill(gateway, 'SIGKILL');
        kills += 1;
        await startGateway();
      }
    })();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < PAYMENTS) await drive(next++);
      }),
    );
    driving = false;
    await killer;
    await waitUntilUp(gatewayUrl);

    // Let recovery and expiry finish: nothing may stay `charging` or `reserving`, and every
    // subscription catches up.
    const open = async () =>
      Number(
        (await db.query<{ n: string }>(`SELECT count(*) AS n FROM payments WHERE status IN ('charging', 'reserving')`))
          .rows[0]?.n,
      );
    for (let i = 0; i < 120 && (await open()) > 0; i++) await sleep(500);
    const behind = async () =>
      Number(
        (
          await db.query<{ n: string }>(
            `SELECT count(*) AS n FROM subscriptions WHERE status IN ('active', 'past_due') AND next_charge_at <= now()`,
          )
        ).rows[0]?.n,
      );
    for (let i = 0; i < 120 && (await behind()) > 0; i++) await sleep(500);
    for (let i = 0; i < 60 && (await open()) > 0; i++) await sleep(500);
    // Every period of every subscription charged at most once (a renewal repeated after a kill finds
    // its payment), and every period the subscription moved past charged exactly once.
    const { rows: periods } = await db.query<{ id: string; period: number; charged: string; moved_past: boolean }>(
      `SELECT s.id, p.subscription_period AS period,
              count(*) FILTER (WHERE p.status IN ('succeeded', 'manual_review')) AS charged,
              p.subscription_period < s.next_period AS moved_past
         FROM subscriptions s JOIN payments p ON p.subscription_id = s.id
        GROUP BY s.id, p.subscription_period, s.next_period`,
    );
    const periodsChargedTwice = periods.filter((p) => Number(p.charged) > 1);
    const periodsPassedUncharged = periods.filter((p) => p.moved_past && Number(p.charged) !== 1);
    const { rows: progress } = await db.query<{ next_period: number; status: string }>(
      'SELECT next_period, status FROM subscriptions',
    );

    // The audit.
    const ledger: Array<{ carrier: string; referenceCode: string }> = [];
    for (const carrier of CARRIER_IDS) {
      const books = (await (await fetch(`${simulator.url}/simulator/v1/carriers/${carrier}/ledger`)).json()) as {
        entries: Array<{ type: string; referenceCode: string }>;
      };
      for (const e of books.entries) if (e.type === 'charge') ledger.push({ carrier, referenceCode: e.referenceCode });
    }
    const ops = await chargeOperations(db);
    const opByReference = new Map(ops.map((o) => [o.id, o]));
    const { rows: statuses } = await db.query<{ status: string; carrier_id: string; n: string }>(
      'SELECT status, carrier_id, count(*) AS n FROM payments GROUP BY status, carrier_id ORDER BY status, carrier_id',
    );

    const chargedTwice = [...new Set(ledger.map((e) => e.referenceCode))].filter(
      (ref) => ledger.filter((e) => e.referenceCode === ref).length > 1,
    );
    const unexplained = ledger.filter((e) => {
      const op = opByReference.get(e.referenceCode);
      if (!op) return true;
      if (op.status === 'succeeded') return Number(op.certificates) !== 1;
      return !(op.status === 'manual_review' && op.carrier_id === 'alpha');
    });
    const succeeded = ops.filter((o) => o.status === 'succeeded');
    const succeededNotCharged = succeeded.filter(
      (o) => ledger.filter((e) => e.referenceCode === o.id).length !== 1 || Number(o.certificates) !== 1,
    );
    const unresolved = ops.filter((o) => o.status === 'charging' || o.status === 'manual_review');
    const unresolvedNotAlphaReview = unresolved.filter(
      (o) => !(o.status === 'manual_review' && o.carrier_id === 'alpha'),
    );
    const stillOpen = await open();

    console.log(
      [
        `chaos: ${PAYMENTS} payments, ${kills} SIGKILLs of the gateway`,
        `  payments by state: ${statuses.map((s) => `${s.status}/${s.carrier_id}=${s.n}`).join(' ')}`,
        `  simulator charges: ${ledger.length}; gateway succeeded: ${succeeded.length}; manual review (alpha): ${unresolved.length - unresolvedNotAlphaReview.length}`,
        `  subscriptions: ${SUBSCRIPTIONS}, periods charged: ${periods.filter((p) => Number(p.charged) === 1).length} (next periods ${progress.map((p) => `${p.next_period}/${p.status}`).join(' ')}); periods charged twice: ${periodsChargedTwice.length}; passed uncharged: ${periodsPassedUncharged.length}`,
        `  charged twice: ${chargedTwice.length}; charges without a succeeded payment and one certificate: ${unexplained.length}; succeeded not charged exactly once: ${succeededNotCharged.length}; unresolved outside alpha review: ${unresolvedNotAlphaReview.length}; still charging/reserving: ${stillOpen}`,
      ].join('\n'),
    );

    expect(kills).toBeGreaterThan(0);
    expect(succeeded.length).toBeGreaterThan(PAYMENTS / 4);
    expect(chargedTwice).toEqual([]);
    expect(unexplained).toEqual([]);
    expect(succeededNotCharged).toEqual([]);
    expect(unresolvedNotAlphaReview).toEqual([]);
    expect(stillOpen).toBe(0);
    expect(periodsChargedTwice).toEqual([]);
    expect(periodsPassedUncharged).toEqual([]);
    expect(progress.every((p) => p.next_period === LATE_PERIODS + 1 || p.status !== 'active')).toBe(true);
  }, 240_000);
});
