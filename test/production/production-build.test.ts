import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  http,
  latestCode,
  newMerchant,
  phoneNumber,
  prepareBody,
  type GatewayAddress,
} from '../helpers/client.js';
import { freshDatabase } from '../helpers/database.js';
import { freePort, kill, waitUntilUp } from '../helpers/processes.js';
import { sleep } from '../helpers/wait.js';

const run = promisify(execFile);
const REQUIRED = ['DATABASE_URL', 'REDIS_URL', 'MASTER_KEY', 'OPERATOR_TOKEN', 'PUBLIC_URL', 'CARRIERS_FILE'];

/**
 * What the container image runs, without a container engine: `npm run build`, the compiled files
 * with production dependencies only (`npm ci --omit=dev`) in a scratch folder, the simulator as a
 * separate stand-in carrier, and `node dist/src/production.js` against the machine's PostgreSQL and
 * Redis. It needs a PostgreSQL server (DATABASE_URL); CI always has one.
 */
describe.skipIf(!process.env.DATABASE_URL)('the production build', () => {
  let dir = '';
  let simulator: ChildProcess | undefined;
  let simulatorUrl = '';
  const env: Record<string, string> = {};
  const output: string[] = [];
  const cleanups: Array<() => Promise<unknown>> = [];

  /** A compiled entry point of the scratch install, its output kept. */
  const node = (entry: string, extra: Record<string, string | undefined>) => {
    const child = spawn(process.execPath, [entry], {
      cwd: dir,
      env: { PATH: process.env.PATH, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr])
      stream.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    return child;
  };

  beforeAll(async () => {
    await run('npm', ['run', 'build'], { cwd: process.cwd() });
    dir = await mkdtemp(join(tmpdir(), 'cbg-prod-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    for (const file of ['package.json', 'package-lock.json']) await cp(file, join(dir, file));
    await cp('dist', join(dir, 'dist'), { recursive: true });
    await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: dir,
    });

    const simulatorPort = await freePort();
    simulatorUrl = `http://127.0.0.1:${simulatorPort}`;
    simulator = node('dist/adapters/simulator/main.js', { SIMULATOR_PORT: String(simulatorPort) });
    cleanups.push(() => kill(simulator, 'SIGTERM'));
    // The carriers file the image ships for compose.yaml, its endpoints filled from SIMULATOR_URL.
    const carriersFile = join(dir, 'config', 'simulated-carriers.json');
    await cp('config/simulated-carriers.json', carriersFile);
    const database = await freshDatabase();
    cleanups.push(() => database.drop());
    Object.assign(env, {
      DATABASE_URL: database.url ?? '',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `cbg-prod-${randomBytes(4).toString('hex')}:`,
      MASTER_KEY: randomBytes(32).toString('hex'),
      OPERATOR_TOKEN: randomBytes(24).toString('base64url'),
      PUBLIC_URL: 'https://pay.example.com',
      CARRIERS_FILE: carriersFile,
      SIMULATOR_URL: simulatorUrl,
      // The simulator stands in for a carrier over plain http on this machine.
      INSECURE_TRANSPORT: 'on',
      LOG_LEVEL: 'info',
    });
  }, 180_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it.each(REQUIRED)('refuses to start without %s, with one line naming it', async (variable) => {
    const child = node('dist/src/production.js', { ...env, PORT: '0', [variable]: undefined });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(new RegExp(`^invalid configuration: \\w+ \\(${variable}\\): required in production`));
  });

  it('completes a purchase, prints no secret, and drains on SIGTERM', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const gateway = node('dist/src/production.js', { ...env, PORT: String(port) });
    cleanups.push(() => kill(gateway, 'SIGKILL'));
    await waitUntilUp(url);
    const gw: GatewayAddress = { url, simulatorUrl, operatorToken: env.OPERATOR_TOKEN ?? '' };

    const shop = await newMerchant(gw, { name: 'Production Shop', oneStepPayments: true });
    const phone = phoneNumber(2);
    const prepared = await http('POST', `${api(gw)}/payments/prepare`, { token: shop.token, body: prepareBody(phone) });
    expect(prepared.status).toBe(201);
    const id = prepared.body.paymentId ?? '';
    const code = await latestCode(gw, phone);
    const validated = await http('POST', `${api(gw)}/payments/${id}/validate`, {
      token: shop.token,
      body: { authorizationId: prepared.body.validationInfo?.authorizationId, code },
    });
    expect(validated.status).toBe(204);
    expect(
      (await http('POST', `${api(gw)}/payments/${id}/confirm`, { token: shop.token, body: { phoneNumber: phone } }))
        .status,
    ).toBe(202);
    expect((await http('GET', `${api(gw)}/payments/${id}`, { token: shop.token })).body.paymentStatus).toBe(
      'succeeded',
    );
    const certificates = await http<Array<{ code: string }>>(
      'GET',
      `${url}/gift-certificates/v1/certificates?paymentId=${id}`,
      {
        token: shop.token,
      },
    );
    const giftCode = certificates.body[0]?.code ?? '';
    expect(giftCode).not.toBe('');

    // SIGTERM while a one-step charge waits for a carrier that does not answer (9905, 5 s).
    const inFlight = http('POST', `${api(gw)}/payments`, {
      token: shop.token,
      body: prepareBody(phoneNumber(2, '9905')),
    });
    await sleep(500);
    const exited = new Promise<number | null>((resolve) => gateway.once('exit', resolve));
    gateway.kill('SIGTERM');
    await sleep(200);
    const ready = await fetch(`${url}/health/ready`).then(
      (r) => r.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(ready);
    const fresh = await fetch(`${url}/health/live`).then(
      (r) => r.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(fresh);
    const finished = await inFlight;
    expect(finished.status).toBe(201);
    expect(finished.body.paymentStatus).toBe('processing');
    expect(await exited).toBe(0);

    const logged = output.join('');
    expect(logged).toContain('gateway ready');
    for (const secret of [env.OPERATOR_TOKEN, env.MASTER_KEY, shop.clientSecret, shop.token, code, giftCode, phone]) {
      expect(secret && logged.includes(secret)).toBe(false);
    }
  }, 120_000);
});
