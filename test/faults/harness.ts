import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { defaults } from '../../config/default.js';
import { freePort, kill, runTs, startSimulatorProcess, waitUntilUp } from '../helpers/processes.js';
import { startPrivatePostgres } from '../helpers/private-postgres.js';
import { startPrivateRedis } from '../helpers/private-redis.js';
import { chargeOperations } from '../helpers/charge-operations.js';
import { newMerchant } from '../helpers/client.js';
import { sleep } from '../helpers/wait.js';
import { retryBudgetMs } from '../../src/services/carriers/calls.js';

const CARRIER_IDS = ['alpha', 'bravo', 'charlie'] as const;
/**
 * Longer than the gateway holds any reservation, as at real carriers (hours to a day): a payment
 * reserved keeps it at most a code's life and then a reserved one's (OTP_TTL_SECONDS and
 * RESERVED_TTL_SECONDS below, 20 s), and a prepare a killed instance left reserving is given up,
 * its reservation released by reference, after twice the reserve's retry budget and 10 s (about 28 s
 * with the demo carriers' 3 s reserve timeout and three tries) plus an expiry run. 30 s was too
 * close to that: once in a while such a reservation lapsed at charlie first and counted as leaked.
 */
const RESERVATION_LAPSE_SECONDS = 45;

export interface FaultCounts {
  /** Purchases the gateway confirmed that are not succeeded with exactly one charge. */
  lost: number;
  /** References the carrier charged more than once. */
  doubled: number;
  /** Carrier charges without a succeeded payment holding exactly one certificate (alpha's manual review aside). */
  orphans: number;
  /**
   * Reservations still held at the carriers once every payment is over: at charlie (OneAPI, which
   * the gateway can ask by reference) any open or lapsed one, at alpha and bravo (Parlay X, whose
   * lost reservations can only lapse) any still open after the carriers' lapse time, and any that
   * lapsed beyond those the gateway recorded as left to lapse. A reservation the gateway released
   * after it lapsed (a release a dead instance left, retried late) was not forgotten: no leak.
   */
  leakedReservations: number;
  /** Gateway processes that exited without being told to. */
  exits: number;
  /** Answers 500. */
  internalErrors: number;
}

/** The database under the gateways: its URL for them, a one-host URL of its writable server for the audit. */
export interface FaultDatabase {
  readonly url: string;
  writableUrl(): Promise<string>;
  stop(): Promise<unknown>;
}

/** What every fault must leave: no harm at all. */
export const NO_HARM: FaultCounts = {
  lost: 0,
  doubled: 0,
  orphans: 0,
  leakedReservations: 0,
  exits: 0,
  internalErrors: 0,
};

/**
 * What a fault test runs on, all its own: a PostgreSQL server and a Redis server started for it
 * (never the machine's), the simulated carriers and `instances` gateway processes, a merchant and
 * its token; load of complete purchases over any instance that answers; and the audit of the
 * gateway's records against the carriers' ledgers.
 */
export async function startFaultHarness(options: {
  instances: number;
  redis: boolean;
  name: string;
  /** The database the gateways use, when not a private server of the harness' own (a failover formation). */
  database?: FaultDatabase;
  /** How the gateways reach Redis, when not the harness' own server (Sentinel). */
  redisEnv?: Record<string, string>;
}) {
  const cleanups: Array<() => Promise<unknown>> = [];
  const dir = await mkdtemp(join(tmpdir(), `cbg-faults-${options.name}-`));
  // FAULT_KEEP_LOGS=1 keeps the gateways' logs (the folder is printed) to read after a failure.
  if (process.env.FAULT_KEEP_LOGS) console.log(`fault logs in ${dir}`);
  else cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const postgres = options.database ? undefined : await startPrivatePostgres();
  const database: FaultDatabase = options.database ?? {
    url: postgres?.url ?? '',
    writableUrl: () => Promise.resolve(postgres?.url ?? ''),
    stop: () => postgres?.stop() ?? Promise.resolve(),
  };
  cleanups.push(() => database.stop());
  const redis = options.redis ? await startPrivateRedis() : undefined;
  if (redis) cleanups.push(() => redis.stop());
  const simulator = await startSimulatorProcess([], {
    SIMULATOR_RESERVATION_LAPSE_SECONDS: String(RESERVATION_LAPSE_SECONDS),
  });
  cleanups.push(() => kill(simulator.child, 'SIGTERM'));

  const carriers = defaults.carriers.map((c) => ({
    ...c,
    retry: { attempts: 3, backoffMs: 20 },
    circuitBreaker: { failureThreshold: 100_000, openSeconds: 1 },
  }));
  // The audit's premise, said out loud: a reservation the gateway held longest is released before
  // the carrier lapses it (an abandoned prepare: twice its reserve's budget and 10 s, then an
  // expiry run of every 2 s below).
  const longestHoldMs = Math.max(
    ...carriers.map((c) => 2 * retryBudgetMs(c.retry, c.timeoutsMs.reserveAmount) + 10_000 + 2_000),
  );
  if (longestHoldMs >= RESERVATION_LAPSE_SECONDS * 1000)
    throw new Error(`the carriers' lapse (${RESERVATION_LAPSE_SECONDS} s) must exceed ${longestHoldMs} ms`);
  const carriersFile = join(dir, 'carriers.json');
  await writeFile(carriersFile, JSON.stringify(carriers));
  const operatorToken = randomBytes(24).toString('base64url');
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: redis?.url,
    ...options.redisEnv,
    MASTER_KEY: randomBytes(32).toString('hex'),
    OPERATOR_TOKEN: operatorToken,
    SIMULATOR: 'off',
    SIMULATOR_URL: simulator.url,
    GATEWAY_ENV: 'test',
    LOG_LEVEL: process.env.FAULT_LOG_LEVEL ?? 'warn',
    CARRIERS_FILE: carriersFile,
    RECOVERY_SCHEDULE: '* * * * * *',
    RECOVERY_GRACE_SECONDS: '3',
    RECOVERY_MAX_ATTEMPTS: '3',
    RECOVERY_RETRY_AFTER_SECONDS: '1',
    EXPIRY_SCHEDULE: '*/2 * * * * *',
    // A payment holds its reservation at most a code's life and then a reserved one's, 20 s in
    // all: well within the carriers' lapse time, as in production (minutes against a day).
    OTP_TTL_SECONDS: '10',
    RESERVED_TTL_SECONDS: '10',
    PAYMENT_REQUESTS_PER_MERCHANT_PER_SECOND: '100000',
    READ_REQUESTS_PER_MERCHANT_PER_SECOND: '100000',
    WRITE_REQUESTS_PER_MERCHANT_PER_SECOND: '100000',
    CODES_PER_MERCHANT_PER_MINUTE: '100000000',
  };

  /** Gateway processes: started, stopped on purpose, or dead by themselves (counted as exits). */
  let exits = 0;
  const stopping = new Set<ChildProcess>();
  const gateways = await Promise.all(
    Array.from({ length: options.instances }, async (_, i) => {
      const port = await freePort();
      const gateway = {
        url: `http://127.0.0.1:${port}`,
        log: join(dir, `gateway-${i}.log`),
        child: undefined as ChildProcess | undefined,
        async start() {
          const child = runTs('src/serve.ts', { ...env, PORT: String(port) }, gateway.log);
          gateway.child = child;
          child.once('exit', () => {
            if (!stopping.has(child)) exits += 1;
          });
          await waitUntilUp(gateway.url, 60_000);
        },
      };
      return gateway;
    }),
  );
  const stopGateway = async (i: number, signal: NodeJS.Signals) => {
    const child = gateways[i]?.child;
    if (child) stopping.add(child);
    await kill(child, signal);
  };
  for (const g of gateways) await g.start();
  cleanups.push(() => Promise.all(gateways.map((_, i) => stopGateway(i, 'SIGTERM'))));

  const first = gateways[0]?.url ?? '';
  const { token } = await newMerchant(
    { url: first, simulatorUrl: simulator.url, operatorToken },
    { name: 'Fault Shop' },
  );

  const answers = new Map<number, number>();
  /** A request to whichever instance answers, repeated while none does or while it says 503. */
  const send = async (method: string, path: string, body?: unknown) => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const gateway = gateways[(attempt + Math.floor(Math.random() * gateways.length)) % gateways.length];
      try {
        const response = await fetch(`${gateway?.url ?? first}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        answers.set(response.status, (answers.get(response.status) ?? 0) + 1);
        if (response.status === 503 || response.status === 429) {
          await sleep(200);
          continue;
        }
        return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
      } catch {
        await sleep(200);
      }
    }
    return { status: 0, json: {} };
  };
  const latestCode = async (phone: string) => {
    for (let i = 0; i < 30; i++) {
      const messages = (await (
        await fetch(`${simulator.url}/simulator/v1/sms?to=${encodeURIComponent(phone)}`)
      ).json()) as Array<{ text: string }>;
      const code = /Code: (\d{6})/.exec(messages.at(-1)?.text ?? '')?.[1];
      if (code) return code;
      await sleep(100);
    }
    return '000000';
  };

  let counter = 0;
  /** Payments the gateway said it charged (confirm 202 or a succeeded create). */
  const confirmed: string[] = [];
  const purchase = async () => {
    counter += 1;
    const i = counter;
    const phone = `+8210${1 + (i % 3)}${String(i % 10_000_000).padStart(7, '0')}`;
    const body = {
      amountTransaction: {
        phoneNumber: phone,
        clientCorrelator: `fault-${options.name}-${i}`,
        referenceCode: `fault-order-${options.name}-${i}`,
        paymentAmount: {
          chargingInformation: { amount: 100 + (i % 900), currency: 'KRW', description: 'Fault voucher' },
        },
      },
    };
    const prepared = await send('POST', '/carrier-billing/v0.5/payments/prepare', body);
    const id = prepared.json.paymentId as string | undefined;
    const authorizationId = (prepared.json.validationInfo as { authorizationId?: string } | undefined)?.authorizationId;
    if (prepared.status !== 201 || !id || !authorizationId) return;
    const validated = await send('POST', `/carrier-billing/v0.5/payments/${id}/validate`, {
      authorizationId,
      code: await latestCode(phone),
    });
    if (validated.status !== 204 && validated.status !== 409) return;
    const done = await send('POST', `/carrier-billing/v0.5/payments/${id}/confirm`, { phoneNumber: phone });
    if (done.status === 202) confirmed.push(id);
  };

  return {
    /** The harness' own server (undefined when the test brought its database). */
    postgres,
    redis,
    gateways,
    stopGateway,
    operatorToken,
    /** Whether a gateway's limits are `shared` (Redis) or `local` (in-process), as its readiness tells operators. */
    limits: async (url: string) =>
      (
        (await (
          await fetch(`${url}/health/ready`, { headers: { authorization: `Bearer ${operatorToken}` } })
        ).json()) as { limits?: string }
      ).limits,
    /** Purchases confirmed so far. */
    confirmedCount: () => confirmed.length,
    /** Complete purchases by `workers` in a loop until `until` settles. */
    async load(workers: number, until: Promise<unknown>) {
      let going = true;
      void until.finally(() => (going = false));
      await Promise.all(
        Array.from({ length: workers }, async () => {
          while (going) await purchase();
        }),
      );
      return confirmed.length;
    },
    /** Waits for recovery and expiry to settle what is open, then compares records and ledgers. */
    async audit(): Promise<
      FaultCounts & { confirmed: number; lapsedAtCarriers: number; answers: Record<number, number> }
    > {
      const db = new pg.Client({ connectionString: await database.writableUrl() });
      await db.connect();
      try {
        // Open: payments not over yet, and releases a dead instance left undone (the expiry job
        // takes those up a minute after they were recorded).
        const open = async () =>
          Number(
            (
              await db.query<{ n: string }>(
                `SELECT (SELECT count(*) FROM payments
                          WHERE status IN ('charging', 'reserving', 'pending_validation', 'reserved'))
                      + (SELECT count(*) FROM carrier_operations
                          WHERE operation = 'release' AND outcome IN ('pending', 'not_executed', 'unknown')
                            AND recovery_attempts < 10) AS n`,
              )
            ).rows[0]?.n,
          );
        for (let i = 0; i < 240 && (await open()) > 0; i++) await sleep(500);
        const books = async () =>
          Promise.all(
            CARRIER_IDS.map(
              async (carrier) =>
                (await (await fetch(`${simulator.url}/simulator/v1/carriers/${carrier}/ledger`)).json()) as {
                  entries: Array<{ type: string; referenceCode: string }>;
                  openReservations: string[];
                  lapsedReservations: number;
                },
            ),
          );
        // Every payment is over: what the carriers still hold goes within the lapse time (Parlay X's
        // lost reservations) or is a leak.
        let held = await books();
        const heldUntil = Date.now() + (RESERVATION_LAPSE_SECONDS + 5) * 1000;
        while (held.some((b) => b.openReservations.length > 0) && Date.now() < heldUntil) {
          await sleep(1000);
          held = await books();
        }
        const ledger = held.flatMap((b) => b.entries.filter((e) => e.type === 'charge'));
        const lapsed = (carrier: (typeof CARRIER_IDS)[number]) =>
          held[CARRIER_IDS.indexOf(carrier)]?.lapsedReservations ?? 0;
        // A Parlay X reservation may lapse only where the gateway recorded that it could not
        // release it (a reserve whose answer was lost); any other that lapsed was forgotten.
        const leftToLapse = Number(
          (
            await db.query<{ n: string }>(
              `SELECT count(*) AS n FROM audit_events e JOIN payments p ON p.id = e.payment_id
                WHERE e.event = 'reservation_left_to_lapse' AND p.carrier_id IN ('alpha', 'bravo')`,
            )
          ).rows[0]?.n,
        );
        const lapsedAtCarriers = lapsed('alpha') + lapsed('bravo');
        const leakedReservations =
          held.reduce((n, b) => n + b.openReservations.length, 0) +
          lapsed('charlie') +
          Math.max(0, lapsedAtCarriers - leftToLapse);
        const ops = await chargeOperations(db);
        const byReference = new Map(ops.map((o) => [o.id, o]));
        const chargesOf = (ref: string) => ledger.filter((e) => e.referenceCode === ref).length;
        const doubled = [...new Set(ledger.map((e) => e.referenceCode))].filter((ref) => chargesOf(ref) > 1).length;
        const orphans = ledger.filter((e) => {
          const op = byReference.get(e.referenceCode);
          if (!op) return true;
          if (op.status === 'succeeded') return Number(op.certificates) !== 1;
          return !(op.status === 'manual_review' && op.carrier_id === 'alpha');
        }).length;
        const opsByPayment = new Map(ops.map((o) => [o.payment_id, o]));
        const lost = confirmed.filter((id) => {
          const op = opsByPayment.get(id);
          return (
            !op ||
            !(op.status === 'succeeded' || (op.status === 'manual_review' && op.carrier_id === 'alpha')) ||
            (op.status === 'succeeded' && (chargesOf(op.id) !== 1 || Number(op.certificates) !== 1))
          );
        }).length;
        return {
          confirmed: confirmed.length,
          lost,
          doubled,
          orphans,
          leakedReservations,
          lapsedAtCarriers,
          exits,
          internalErrors: answers.get(500) ?? 0,
          answers: Object.fromEntries(answers),
        };
      } finally {
        await db.end();
      }
    },
    /** The gateways' logs, for a failure's message. */
    logs: async () =>
      (await Promise.all(gateways.map((g) => readFile(g.log, 'utf8').catch(() => '')))).join('\n').slice(-4000),
    async stop() {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    },
  };
}

export type FaultHarness = Awaited<ReturnType<typeof startFaultHarness>>;

/** The counts as the suite prints them. */
export function countsLine(name: string, c: FaultCounts & { confirmed: number; lapsedAtCarriers: number }): string {
  return `${name}: ${c.confirmed} confirmed purchases; lost ${c.lost}, doubled ${c.doubled}, orphan charges ${c.orphans}, leaked reservations ${c.leakedReservations} (Parlay X reservations left to lapse: ${c.lapsedAtCarriers}), gateway exits ${c.exits}, answers 500 ${c.internalErrors}`;
}
