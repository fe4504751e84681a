import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  http,
  latestCode,
  newMerchant,
  phoneNumber,
  prepareBody,
  type Body,
  type Certificate,
  type Merchant,
} from '../helpers/client.js';
import { startTestGateway, testCarriers, type TestGateway } from '../helpers/gateway.js';
import { sleep, until } from '../helpers/wait.js';

let gw: TestGateway;
let shop: Merchant;
let clockOffsetMs = 0;
let dir = '';
const period = new Date().toISOString().slice(0, 7);
const PAY = () => `${gw.url}/carrier-billing/v0.5`;

interface Report {
  runId: string;
  statementId: string;
  counts: Record<string, number>;
  totals: Record<string, number>;
  discrepancies: Array<{
    discrepancyId: string;
    class: string;
    referenceCode: string;
    paymentId?: string;
    detail: string;
    resolutionNote?: string;
  }>;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cbg-statements-'));
  gw = await startTestGateway(
    {
      carriers: testCarriers({ moneyTimeoutMs: 600 }),
      recovery: { schedule: '* * * * * *', pendingGraceSeconds: 1, maxAttempts: 1, retryAfterSeconds: 1 },
      reconciliation: { schedule: '* * * * * *' },
    },
    { now: () => new Date(Date.now() + clockOffsetMs) },
  );
  shop = await newMerchant(gw, { name: 'Statement Shop', oneStepPayments: true });
  // A month of traffic on bravo: two-step and one-step payments, and a refund.
  for (let i = 0; i < 4; i++) {
    const phone = phoneNumber(2);
    const prepared = await http('POST', `${PAY()}/payments/prepare`, {
      token: shop.token,
      body: prepareBody(phone, { amount: 1000 + i }),
    });
    await http('POST', `${PAY()}/payments/${prepared.body.paymentId}/validate`, {
      token: shop.token,
      body: { authorizationId: prepared.body.validationInfo?.authorizationId, code: await latestCode(gw, phone) },
    });
    await http('POST', `${PAY()}/payments/${prepared.body.paymentId}/confirm`, {
      token: shop.token,
      body: { phoneNumber: phone },
    });
  }
  const oneStep = await http('POST', `${PAY()}/payments`, {
    token: shop.token,
    body: prepareBody(phoneNumber(2), { amount: 7000 }),
  });
  await http('POST', `${gw.url}/carrier-billing-refund/v0.3/payments/${oneStep.body.paymentId}/refunds`, {
    token: shop.token,
    body: {
      type: 'partial',
      amountTransaction: {
        referenceCode: 'stmt-refund',
        refundAmount: { chargingInformation: { amount: 2000, currency: 'KRW', description: 'Back' } },
      },
    },
  });
});
afterAll(async () => {
  await gw?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function statement(carrier: string, kind: 'csv' | 'txt' = 'csv'): Promise<string> {
  const response = await fetch(`${gw.simulatorUrl}/simulator/v1/carriers/${carrier}/statements/${period}.${kind}`);
  return response.text();
}

async function reconcile(carrier: string, body: string, format?: string) {
  const query = new URLSearchParams({ carrierId: carrier, period, ...(format ? { format } : {}) });
  return http<Report & Body>('POST', `${gw.url}/admin/v1/reconciliations?${query}`, {
    token: gw.operatorToken,
    raw: body,
    headers: { 'content-type': 'text/csv' },
  });
}

/** A statement under another id, edited line by line (line 0 is the header). */
function edited(csv: string, newId: string, edit: (lines: string[][]) => string[][]): string {
  const [header = '', ...rows] = csv.trim().split('\n');
  const lines = rows.map((r) => r.split(',')).map((f) => [newId, ...f.slice(1)]);
  return [header, ...edit(lines).map((f) => f.join(','))].join('\n') + '\n';
}

describe('monthly reconciliation', () => {
  it('a month of simulated traffic reconciles to all matched, and the same statement twice is the same run', async () => {
    const csv = await statement('bravo');
    expect(csv.trim().split('\n')).toHaveLength(1 + 6);
    const report = await reconcile('bravo', csv);
    expect(report.status).toBe(201);
    expect(report.body.counts).toEqual({
      matched: 6,
      missing_at_carrier: 0,
      missing_at_gateway: 0,
      amount_mismatch: 0,
      status_mismatch: 0,
      duplicate_at_carrier: 0,
    });
    expect(report.body.discrepancies).toEqual([]);
    expect(report.body.totals).toMatchObject({
      gatewayAmount: 4006 + 7000 - 2000,
      carrierAmount: 9006,
      difference: 0,
      revenueShareAmount: 2700,
      netAmount: 6306,
    });

    const again = await reconcile('bravo', csv);
    expect(again.body.runId).toBe(report.body.runId);
    const lines = await gw.database.query<{ n: bigint }>(
      'SELECT count(*) AS n FROM statement_lines WHERE statement_id = $1',
      [report.body.statementId],
    );
    expect(Number(lines.rows[0]?.n)).toBe(6);

    const html = await fetch(`${gw.url}/admin/v1/reconciliations/${report.body.runId}`, {
      headers: { authorization: `Bearer ${gw.operatorToken}`, accept: 'text/html' },
    });
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(await html.text()).toContain('every line matched');
  });

  it('names every class when the statement is edited', async () => {
    const csv = await statement('bravo');
    const original = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((r) => r.split(','));
    const [drop, change, duplicate, flip] = original.filter((f) => f[3] === 'charge');
    const statementCsv = edited(csv, `bravo-${period}-edited`, (lines) => {
      const out = lines.filter((f) => f[5] !== drop?.[5]);
      const changed = out.find((f) => f[5] === change?.[5]);
      if (changed) Object.assign(changed, { 8: '999', 11: '299', 12: '700' });
      const flipped = out.find((f) => f[5] === flip?.[5]);
      if (flipped)
        Object.assign(flipped, { 3: 'refund', 8: `-${flipped[8]}`, 11: `-${flipped[11]}`, 12: `-${flipped[12]}` });
      const dup = out.find((f) => f[5] === duplicate?.[5]);
      return [
        ...out,
        ...(dup ? [[...dup]] : []),
        [
          `bravo-${period}-edited`,
          'bravo',
          period,
          'charge',
          'bravo-T-extra',
          'op_not_ours',
          '+821020000000',
          `${period}-10T10:00:00.000Z`,
          '500',
          'KRW',
          '0',
          '150',
          '350',
        ],
      ];
    });
    const report = await reconcile('bravo', statementCsv);
    expect(report.body.counts).toMatchObject({
      missing_at_carrier: 1,
      amount_mismatch: 1,
      duplicate_at_carrier: 1,
      missing_at_gateway: 1,
      status_mismatch: 1,
      matched: 2,
    });
    const byClass = Object.fromEntries(report.body.discrepancies.map((d) => [d.class, d]));
    expect(byClass.missing_at_carrier?.referenceCode).toBe(drop?.[5]);
    expect(byClass.amount_mismatch?.referenceCode).toBe(change?.[5]);
    expect(byClass.duplicate_at_carrier?.referenceCode).toBe(duplicate?.[5]);
    expect(byClass.status_mismatch?.referenceCode).toBe(flip?.[5]);
    expect(byClass.missing_at_gateway?.referenceCode).toBe('op_not_ours');
    expect(byClass.amount_mismatch?.paymentId).toMatch(/^pay_/);

    const only = await http<Array<{ class: string }>>(
      'GET',
      `${gw.url}/admin/v1/reconciliations/${report.body.runId}/discrepancies?class=amount_mismatch`,
      { token: gw.operatorToken },
    );
    expect(only.body.map((d) => d.class)).toEqual(['amount_mismatch']);
    const resolved = await http(
      'POST',
      `${gw.url}/admin/v1/reconciliations/${report.body.runId}/discrepancies/${byClass.amount_mismatch?.discrepancyId}/resolve`,
      {
        token: gw.operatorToken,
        body: { note: 'carrier confirmed a typo; credit note requested' },
      },
    );
    expect(resolved.body.resolutionNote).toBe('carrier confirmed a typo; credit note requested');
    const csvReport = await fetch(`${gw.url}/admin/v1/reconciliations/${report.body.runId}?format=csv`, {
      headers: { authorization: `Bearer ${gw.operatorToken}` },
    });
    expect((await csvReport.text()).split('\n')[0]).toBe(
      'class,reference_code,payment_id,gateway_amount,carrier_amount,detail',
    );
  });

  it("neutralises spreadsheet formulas from a carrier's statement in the CSV report", async () => {
    const formulas = ['=HYPERLINK("http://evil.example","statement")', '+1+1', '-2+3', '@SUM(A1)', '\uFF1D1+1'];
    const csv = edited(await statement('bravo'), `bravo-${period}-formulas`, (lines) => [
      ...lines,
      ...formulas.map((reference, i) => [
        `bravo-${period}-formulas`,
        'bravo',
        period,
        'charge',
        `bravo-T-formula-${i}`,
        `"${reference.replace(/"/g, '""')}"`,
        '+821020000000',
        `${period}-10T10:00:00.000Z`,
        '500',
        'KRW',
        '0',
        '150',
        '350',
      ]),
    ]);
    const report = await reconcile('bravo', csv);
    expect(report.status).toBe(201);
    const exported = await fetch(`${gw.url}/admin/v1/reconciliations/${report.body.runId}?format=csv`, {
      headers: { authorization: `Bearer ${gw.operatorToken}` },
    });
    const cells = parse<Record<string, string>>(await exported.text(), { columns: true });
    const references = cells.filter((c) => c.class === 'missing_at_gateway').map((c) => c.reference_code);
    expect(references.sort()).toEqual(formulas.map((f) => `'${f}`).sort());
  });

  it('takes lines with empty optional fields (an adjustment without a subscriber)', async () => {
    const csv = edited(await statement('bravo'), `bravo-${period}-adjusted`, (lines) => [
      ...lines,
      [
        `bravo-${period}-adjusted`,
        'bravo',
        period,
        'adjustment',
        '',
        'adj-1',
        '',
        `${period}-20T00:00:00Z`,
        '-100',
        'KRW',
        '0',
        '0',
        '-100',
      ],
    ]);
    const report = await reconcile('bravo', csv);
    expect(report.status).toBe(201);
    expect(report.body.counts).toMatchObject({ matched: 6, missing_at_gateway: 1 });
  });

  it('refuses a statement id already used for another carrier', async () => {
    // bravo-<period> was reconciled for bravo above; the same id from alpha is refused.
    const header = (await statement('bravo')).split('\n')[0];
    const stolen = `${header}\nbravo-${period},alpha,${period},charge,alpha-T-1,op_x,+821010000000,${period}-05T00:00:00Z,100,KRW,0,30,70\n`;
    const reply = await reconcile('alpha', stolen);
    expect(reply.body).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' });
    expect(reply.body.message).toContain('already imported for bravo');
  });

  it('rejects a malformed statement with its line number and imports nothing', async () => {
    const csv = await statement('bravo');
    const broken = edited(csv, `bravo-${period}-broken`, (lines) =>
      lines.map((f, i) => (i === 3 ? Object.assign([...f], { 8: 'ten' }) : f)),
    );
    const reply = await reconcile('bravo', broken);
    expect(reply.body).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' });
    expect(reply.body.message).toContain('line 5');
    const imported = await gw.database.query('SELECT 1 FROM statements WHERE statement_id = $1', [
      `bravo-${period}-broken`,
    ]);
    expect(imported.rowCount).toBe(0);
    const lines = await gw.database.query('SELECT 1 FROM statement_lines WHERE statement_id = $1', [
      `bravo-${period}-broken`,
    ]);
    expect(lines.rowCount).toBe(0);
  });

  it('reads the header/trailer format too, and checks its control totals', async () => {
    const txt = await statement('bravo', 'txt');
    const renamed = txt.replace(/^HDR\|[^|]+/m, `HDR|bravo-${period}-txt`);
    const report = await reconcile('bravo', renamed, 'header-trailer');
    expect(report.body.counts.matched).toBe(6);
    const tampered = renamed
      .replace(`HDR|bravo-${period}-txt`, `HDR|bravo-${period}-txt2`)
      .replace(/^TRL\|(\d+)\|/m, (_, n: string) => `TRL|${Number(n) + 1}|`);
    const refused = await reconcile('bravo', tampered, 'header-trailer');
    expect(refused.body.message).toMatch(/trailer says 7 details, the file has 6/);
  });

  it('settles an alpha payment in manual review when the statement shows its charge', async () => {
    const phone = phoneNumber(1, '9904');
    const created = await http('POST', `${PAY()}/payments`, {
      token: shop.token,
      body: prepareBody(phone, { amount: 4200 }),
    });
    const id = created.body.paymentId as string;
    let status = '';
    for (let i = 0; i < 40 && status !== 'manual_review'; i++) {
      await sleep(200);
      status = String(
        (await http('GET', `${gw.url}/admin/v1/payments/${id}`, { token: gw.operatorToken })).body.status,
      );
    }
    expect(status).toBe('manual_review');
    const report = await reconcile('alpha', await statement('alpha'));
    const settled = report.body.discrepancies.find((d) => d.paymentId === id);
    expect(settled).toMatchObject({
      class: 'missing_at_gateway',
      resolutionNote: expect.stringContaining('settled as succeeded'),
    });
    expect((await http('GET', `${PAY()}/payments/${id}`, { token: shop.token })).body.paymentStatus).toBe('succeeded');
    expect(
      (
        await http<Certificate[]>('GET', `${gw.url}/gift-certificates/v1/certificates?paymentId=${id}`, {
          token: shop.token,
        })
      ).body,
    ).toHaveLength(1);
  });

  it.skipIf(!process.env.DATABASE_URL)(
    'the CLI reconciles a statement file and exits non-zero on a bad one',
    async () => {
      const run = promisify(execFile);
      const env = {
        ...process.env,
        DATABASE_URL: gw.context.config.databaseUrl,
        MASTER_KEY: gw.context.config.masterKey,
        REDIS_URL: '',
        LOG_LEVEL: 'silent',
        SIMULATOR_URL: gw.simulatorUrl,
      };
      const good = join(dir, 'good.csv');
      await writeFile(
        good,
        edited(await statement('bravo'), `bravo-${period}-cli`, (l) => l),
      );
      const out = await run(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/cli/main.ts',
          'reconcile',
          '--carrier',
          'bravo',
          '--period',
          period,
          '--file',
          good,
          '--json',
        ],
        { env },
      );
      expect((JSON.parse(out.stdout) as Report).counts.matched).toBe(6);
      const bad = join(dir, 'bad.csv');
      await writeFile(bad, 'not,a,statement\n');
      await expect(
        run(
          process.execPath,
          ['--import', 'tsx', 'src/cli/main.ts', 'reconcile', '--carrier', 'bravo', '--period', period, '--file', bad],
          { env },
        ),
      ).rejects.toMatchObject({ code: 1 });
    },
  );

  it('the monthly job reconciles last month once per carrier, across runs of the schedule', async () => {
    // The middle of next month, whatever today is (32 days on from the 30th is already January's).
    const now = new Date();
    clockOffsetMs = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 15) - now.getTime();
    try {
      const jobRuns = async () =>
        (
          await gw.database.query<{ run_key: string; outcome: string }>(
            `SELECT run_key, outcome FROM job_runs WHERE job = 'monthly-statements' AND run_key LIKE $1 ORDER BY run_key`,
            [`%:${period}`],
          )
        ).rows;
      const keys = ['alpha', 'bravo', 'charlie'].map((carrier) => `${carrier}:${period}`);
      const done = await until(jobRuns, (rows) =>
        keys.every((k) => rows.some((r) => r.run_key === k && r.outcome !== null)),
      );
      expect(done.map((r) => r.run_key)).toEqual(keys);
      // bravo had this file's traffic; charlie had none, which is recorded, not retried.
      expect(done.find((r) => r.run_key === `bravo:${period}`)?.outcome).toMatch(/^run rec_/);
      expect(done.find((r) => r.run_key === `charlie:${period}`)?.outcome).toBe('no events this period');

      // The schedule fires every second: two more seconds change nothing.
      await sleep(2_000);
      expect(await jobRuns()).toEqual(done);
      // One run of bravo's statement, whoever asked for it (earlier tests here did too).
      const runs = await gw.database.query(`SELECT id FROM reconciliation_runs WHERE statement_id = $1`, [
        `bravo-${period}`,
      ]);
      expect(runs.rowCount).toBe(1);
    } finally {
      clockOffsetMs = 0;
    }
  });
});
