import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { createHttpExchange, failureCode, type HttpReply } from '../../adapters/http-exchange.js';
import { benchGateway } from './gateway-process.js';

const run = promisify(execFile);

export interface FlowOptions {
  concurrency: number;
  seconds: number;
  /** Open loop: flows started per second regardless of answers (closed loop when undefined). */
  rate?: number;
  /** Only retrievePayment, as fast as possible. */
  readsOnly?: boolean;
}

const WARM_UP_MS = 3_000;

type Kind = 'prepare' | 'sms' | 'validate' | 'confirm' | 'retrieve';

/** CPU seconds (user + system) a process has used, from /proc. */
async function cpuSeconds(pid: number | undefined): Promise<number> {
  if (!pid) return 0;
  const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  return (Number(stat[11]) + Number(stat[12])) / 100;
}

/** CPU seconds of every process whose command name is `name` (the server's backends come and go). */
async function cpuSecondsOf(name: string): Promise<number> {
  let total = 0;
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if ((await readFile(`/proc/${pid}/comm`, 'utf8')).trim().startsWith(name)) total += await cpuSeconds(Number(pid));
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

async function commits(db: pg.Client, name: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT xact_commit AS n FROM pg_stat_database WHERE datname = $1', [
    name,
  ]);
  return Number(rows[0]?.n ?? 0);
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0) : 0;
}

/** pgbench -N (no branch/teller updates: the simple-update script) on a scratch database. */
async function pgbenchTps(serverUrl: string): Promise<number> {
  const url = new URL(serverUrl);
  const name = `cbg_pgbench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const args = ['-h', url.hostname, '-p', url.port || '5432', '-U', url.username || 'postgres'];
    await run('pgbench', [...args, '-i', '-q', '-s', '10', name]);
    const { stdout } = await run('pgbench', [...args, '-N', '-c', '8', '-j', '2', '-T', '10', name]);
    return Number(/tps = ([\d.]+)/.exec(stdout)?.[1] ?? 0);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/**
 * `npm run bench -- flows|reads`: the simulator and the gateway in their own processes on the
 * machine's PostgreSQL and Redis, driven over HTTP, with the database's own ceiling beside it.
 */
export async function benchFlows(options: FlowOptions): Promise<void> {
  process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  const serverUrl = process.env.DATABASE_URL;
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const bench = await benchGateway(
    {
      PAYMENT_REQUESTS_PER_MERCHANT_PER_SECOND: '100000',
      READ_REQUESTS_PER_MERCHANT_PER_SECOND: '100000',
      WRITE_REQUESTS_PER_MERCHANT_PER_SECOND: '100000',
      CODES_PER_MERCHANT_PER_MINUTE: '10000000',
    },
    profile,
  );
  const { url, database, gateway, simulator } = bench;
  const stats = new pg.Client({ connectionString: serverUrl });
  await stats.connect();
  try {
    const merchant = await bench.newMerchant('Bench Shop');
    const token = (
      (await (
        await fetch(`${url}/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: merchant.clientId,
            client_secret: merchant.clientSecret,
          }),
        })
      ).json()) as { access_token: string }
    ).access_token;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const latencies: Record<Kind, number[]> = { prepare: [], sms: [], validate: [], confirm: [], retrieve: [] };
    const errors = new Map<string, number>();
    const countError = (what: string) => errors.set(what, (errors.get(what) ?? 0) + 1);
    let flows = 0;
    // Node's own client (as the carrier adapters use), much lighter than fetch: the load generator
    // shares the two cores with what it measures.
    const client = createHttpExchange(options.rate ? 1024 : options.concurrency * 2);
    const send = (method: 'GET' | 'POST', target: string, body?: object) =>
      client.exchange(target, { method, headers, body: body ? JSON.stringify(body) : undefined, timeoutMs: 30_000 });
    const timed = async (
      kind: Kind,
      call: () => Promise<HttpReply>,
      okStatus: number,
    ): Promise<HttpReply | undefined> => {
      const started = performance.now();
      let failure: string;
      try {
        const reply = await call();
        latencies[kind].push(performance.now() - started);
        if (reply.status === okStatus) return reply;
        failure = `${kind} ${reply.status} ${/"code":"([^"]+)"/.exec(reply.body)?.[1] ?? ''}`.trim();
      } catch (error) {
        failure = `${kind} ${failureCode(error)}`;
      }
      countError(failure);
      return undefined;
    };

    let sequence = 0;
    const api = `${url}/carrier-billing/v0.5/payments`;
    const flow = async (): Promise<void> => {
      const n = sequence++;
      const phone = `+8210${1 + (n % 3)}${String(n % 10_000_000).padStart(7, '0')}`.replace(/99(0[1-9])$/, '10$1');
      const body = {
        amountTransaction: {
          phoneNumber: phone,
          clientCorrelator: `b-${n}`,
          referenceCode: `b-${n}`,
          paymentAmount: { chargingInformation: { amount: 1000, currency: 'KRW', description: 'Bench' } },
        },
      };
      const prepared = await timed('prepare', () => send('POST', `${api}/prepare`, body), 201);
      if (!prepared) return;
      const p = JSON.parse(prepared.body) as { paymentId: string; validationInfo: { authorizationId: string } };
      const sms = await timed(
        'sms',
        () => send('GET', `${simulator.url}/simulator/v1/sms?to=${encodeURIComponent(phone)}`),
        200,
      );
      const code =
        /Code: (\d{6})/.exec((JSON.parse(sms?.body ?? '[]') as Array<{ text: string }>).at(-1)?.text ?? '')?.[1] ?? '';
      if (
        !(await timed(
          'validate',
          () =>
            send('POST', `${api}/${p.paymentId}/validate`, { authorizationId: p.validationInfo.authorizationId, code }),
          204,
        ))
      )
        return;
      if (!(await timed('confirm', () => send('POST', `${api}/${p.paymentId}/confirm`, { phoneNumber: phone }), 202)))
        return;
      const retrieved = await timed('retrieve', () => send('GET', `${api}/${p.paymentId}`), 200);
      if (!retrieved) return;
      // A flow counts only when the money moved: a charge left unknown answers 202 too.
      const status = (JSON.parse(retrieved.body) as { paymentStatus: string }).paymentStatus;
      if (status === 'succeeded') flows += 1;
      else countError(`ended ${status}`);
    };

    let readIds: string[] = [];
    if (options.readsOnly) {
      // A few complete payments to read back.
      for (let i = 0; i < 20; i++) await flow();
      const db = new pg.Client({ connectionString: database.url });
      await db.connect();
      readIds = (await db.query<{ id: string }>('SELECT id FROM payments LIMIT 20')).rows.map((r) => r.id);
      await db.end();
    }
    const read = async () => {
      const id = readIds[sequence++ % readIds.length] ?? '';
      if (await timed('retrieve', () => send('GET', `${api}/${id}`), 200)) flows += 1;
    };
    const work = options.readsOnly ? read : flow;
    // Warm up (JIT, pools, keep-alive connections) before anything is counted.
    const warmUntil = performance.now() + WARM_UP_MS;
    await Promise.all(
      Array.from({ length: Math.min(options.concurrency, 8) }, async () => {
        while (performance.now() < warmUntil) await work();
      }),
    );
    for (const k of Object.keys(latencies) as Kind[]) latencies[k] = [];
    errors.clear();
    flows = 0;

    const dbName = new URL(database.url ?? '').pathname.slice(1);
    const before = {
      commits: await commits(stats, dbName),
      gateway: await cpuSeconds(gateway.pid),
      simulator: await cpuSeconds(simulator.child.pid),
      postgres: await cpuSecondsOf('postgres'),
      redis: await cpuSecondsOf('redis-server'),
      bench: process.cpuUsage(),
    };
    const started = performance.now();
    const until = started + options.seconds * 1000;
    if (options.rate) {
      const inFlight = new Set<Promise<void>>();
      for (let i = 0; performance.now() < until; i++) {
        const due = started + (i * 1000) / options.rate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const p = work().finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      await Promise.all(inFlight);
    } else {
      await Promise.all(
        Array.from({ length: options.concurrency }, async () => {
          while (performance.now() < until) await work();
        }),
      );
    }
    const elapsed = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(before.bench);
    const after = {
      commits: await commits(stats, dbName),
      gateway: await cpuSeconds(gateway.pid),
      simulator: await cpuSeconds(simulator.child.pid),
      postgres: await cpuSecondsOf('postgres'),
      redis: await cpuSecondsOf('redis-server'),
    };

    const cpuLine: Array<[string, number]> = [
      ['gateway', after.gateway - before.gateway],
      ['simulator', after.simulator - before.simulator],
      ['load generator', (cpu.user + cpu.system) / 1e6],
      ['PostgreSQL', after.postgres - before.postgres],
      ['Redis', after.redis - before.redis],
    ];
    const perSecond = flows / elapsed;
    const commitsPerFlow = flows ? (after.commits - before.commits) / flows : 0;
    const lines = [
      `${options.readsOnly ? 'reads' : 'flows'}: ${options.rate ? `open loop at ${options.rate}/s` : `closed loop, concurrency ${options.concurrency}`}, ${elapsed.toFixed(1)} s`,
      `  ${options.readsOnly ? 'retrievePayment' : 'complete flows'}: ${flows} = ${perSecond.toFixed(1)}/s, errors ${[...errors.values()].reduce((a, b) => a + b, 0)}${errors.size ? ` (${[...errors].map(([what, n]) => `${what}: ${n}`).join(', ')})` : ''}`,
      ...Object.entries(latencies)
        .filter(([, l]) => l.length)
        .map(([kind, l]) => {
          const sorted = [...l].sort((a, b) => a - b);
          return `  ${kind.padEnd(9)} p50 ${percentile(sorted, 50).toFixed(1)} ms  p99 ${percentile(sorted, 99).toFixed(1)} ms  (${l.length})`;
        }),
      `  database commits per ${options.readsOnly ? 'read' : 'flow'}: ${commitsPerFlow.toFixed(2)}`,
      `  CPU seconds: ${cpuLine.map(([name, seconds]) => `${name} ${seconds.toFixed(1)}`).join(', ')} (of ${(elapsed * cpus().length).toFixed(1)} on ${cpus().length} cores)`,
      `  CPU ms per ${options.readsOnly ? 'read' : 'flow'}: ${cpuLine.map(([name, seconds]) => `${name} ${flows ? ((seconds * 1000) / flows).toFixed(1) : '-'}`).join(', ')}`,
    ];
    console.log(lines.join('\n'));
    client.close();
    if (!options.readsOnly && !options.rate) {
      const tps = await pgbenchTps(serverUrl);
      console.log(
        `  pgbench -N (8 clients, 10 s): ${tps.toFixed(0)} tps; ratio flows/s × commits/flow ÷ tps = ${((perSecond * commitsPerFlow) / tps).toFixed(2)}`,
      );
    }
  } finally {
    await stats.end();
    await bench.stop();
  }
}
