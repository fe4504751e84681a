import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main.js';
import { api, http, phoneNumber, prepareBody, tokenFor } from '../helpers/client.js';

const run = promisify(execFile);
let dataDir = '';

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** The embedded default, whatever DATABASE_URL says: data on disk in DATA_DIR. */
const embeddedGateway = () =>
  start({
    env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    overrides: { env: 'test', port: 0, simulator: { enabled: true, port: 0 } },
  });

describe('embedded PostgreSQL', () => {
  it('keeps merchants and payments across a restart, and the CLI onboards merchants through it', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cbg-data-'));

    // The CLI opens the embedded database itself when no gateway holds it.
    const cli = await run(
      'npx',
      ['tsx', 'src/cli/main.ts', 'merchants', 'create', '--name', 'Restart Shop', '--json'],
      { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' } },
    );
    const merchant = JSON.parse(cli.stdout) as { clientId: string; clientSecret: string; name: string };
    // The CLI checks what it is given as the operator API does: a one-line error, nothing written.
    const bad = run(
      'npx',
      ['tsx', 'src/cli/main.ts', 'merchants', 'create', '--name', 'Bad Cap', '--daily-cap', 'lots'],
      { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' } },
    );
    await expect(bad).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/^error: dailyCapMinor: /m) });
    expect(merchant.name).toBe('Restart Shop');

    const first = await embeddedGateway();
    const gw = { ...first, simulatorUrl: first.simulator?.url ?? '' };
    const token = await tokenFor(gw, merchant.clientId, merchant.clientSecret);
    const prepared = await http('POST', `${api(gw)}/payments/prepare`, { token, body: prepareBody(phoneNumber(1)) });
    expect(prepared.status).toBe(201);

    // While the gateway runs, the CLI goes through its operator API instead of opening the files.
    const listed = await run('npx', ['tsx', 'src/cli/main.ts', 'merchants', 'list', '--json'], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
    });
    expect((JSON.parse(listed.stdout) as Array<{ name: string }>).map((m) => m.name)).toEqual(['Restart Shop']);
    await first.stop();

    const second = await embeddedGateway();
    try {
      const again = { ...second, simulatorUrl: second.simulator?.url ?? '' };
      const payment = await http('GET', `${api(again)}/payments/${prepared.body.paymentId}`, {
        token: await tokenFor(again, merchant.clientId, merchant.clientSecret),
      });
      expect(payment.status).toBe(200);
      expect(payment.body.paymentStatus).toBe('pending_validation');
    } finally {
      await second.stop();
    }
  }, 90_000);
});
