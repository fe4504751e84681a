import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { CSV_COLUMNS } from '../../adapters/statements/csv.js';
import { openContext } from '../../src/context-factory.js';
import { createLogger } from '../../src/logging.js';
import { reconcileStatement } from '../../src/services/reconciliation/reconcile-statement.js';
import { freshDatabase } from '../helpers/database.js';

/**
 * `npm run bench -- reconcile --lines N`: N settled charges at the gateway, a matching N-line
 * statement on disk, then import + match timed, with the process's peak memory.
 */
export async function benchReconcile(lines: number): Promise<void> {
  process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = await freshDatabase();
  const dir = await mkdtemp(join(tmpdir(), 'cbg-bench-'));
  const config = loadConfig({
    DATABASE_URL: database.url,
    MASTER_KEY: '11'.repeat(32),
    SIMULATOR: 'off',
    LOG_LEVEL: 'silent',
    GATEWAY_ENV: 'test',
  });
  const {
    context,
    database: db,
    close,
  } = await openContext(
    config,
    {},
    { log: createLogger('silent'), simulatorUrl: 'http://127.0.0.1:9', soleInstance: false },
  );
  const period = new Date().toISOString().slice(0, 7);
  const at = `${period}-15T12:00:00.000Z`;
  try {
    let started = Date.now();
    await db.query(
      `INSERT INTO merchants (id, name, client_id, client_secret_hash, scopes) VALUES ('mer_bench', 'Bench', 'cli_bench', 'x', '{}')`,
    );
    await db.query(
      `INSERT INTO payments (id, merchant_id, kind, status, client_correlator, request_digest, reference_code, phone_number, carrier_id,
                             amount_minor, currency, description, request, created_at, payment_date, updated_at)
       SELECT 'pay_' || i, 'mer_bench', 'one_step', 'succeeded', 'c' || i, 'd', 'r' || i, '+8210' || lpad(i::text, 8, '0'), 'alpha',
              1000 + i % 5000, 'KRW', 'bench', '{}', $2::timestamptz, $2::timestamptz, $2::timestamptz
         FROM generate_series(1, $1) AS i`,
      [lines, at],
    );
    await db.query(
      `INSERT INTO carrier_operations (id, payment_id, carrier_id, operation, amount_minor, currency, outcome, tries, created_at, completed_at)
       SELECT 'op_' || i, 'pay_' || i, 'alpha', 'charge_amount', 1000 + i % 5000, 'KRW', 'succeeded', 1, $2::timestamptz, $2::timestamptz
         FROM generate_series(1, $1) AS i`,
      [lines, at],
    );
    const setupSeconds = (Date.now() - started) / 1000;

    started = Date.now();
    const file = join(dir, 'statement.csv');
    const out = createWriteStream(file);
    out.write(`${CSV_COLUMNS.join(',')}\n`);
    for (let i = 1; i <= lines; i++) {
      const amount = 1000 + (i % 5000);
      const share = Math.floor((amount * 3) / 10);
      const row = `alpha-${period},alpha,${period},charge,alpha-T-${i},op_${i},+8210${String(i).padStart(8, '0')},${at},${amount},KRW,0,${share},${amount - share}\n`;
      if (!out.write(row)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const writeSeconds = (Date.now() - started) / 1000;

    started = Date.now();
    const run = await reconcileStatement(context, 'alpha', period, createReadStream(file));
    const seconds = (Date.now() - started) / 1000;
    const peakMb = process.resourceUsage().maxRSS / 1024;
    console.log(
      [
        `reconcile: ${lines.toLocaleString('en')} statement lines against ${lines.toLocaleString('en')} gateway charges (PostgreSQL ${config.databaseUrl ? 'server, COPY' : 'embedded'})`,
        `  setup: gateway records ${setupSeconds.toFixed(1)} s, statement file ${writeSeconds.toFixed(1)} s (not counted)`,
        `  import + match: ${seconds.toFixed(2)} s = ${Math.round(lines / seconds).toLocaleString('en')} lines/s`,
        `  peak RSS of the process: ${peakMb.toFixed(0)} MB`,
        `  counts: ${JSON.stringify(run.counts)}`,
      ].join('\n'),
    );
  } finally {
    await close();
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  }
}
