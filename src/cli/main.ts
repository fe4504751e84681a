import { createReadStream } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../config/load.js';
import { embeddedOwner, openContext } from '../context-factory.js';
import { createLogger } from '../logging.js';
import { parseInput } from '../services/input.js';
import type { OperatorPrincipal } from '../services/context.js';
import {
  allMerchants,
  createMerchant,
  newMerchantSchema,
  type MerchantView,
  type NewMerchantInput,
  type OnboardedMerchant,
} from '../services/operators/merchants.js';
import { reconcileStatement } from '../services/reconciliation/reconcile-statement.js';
import { runReport, type RunReport } from '../services/reconciliation/report.js';

const USAGE = `usage: npm run cli -- <command>
  merchants create --name NAME [--one-step] [--validation-mode validate|open] [--scopes a,b] [--daily-cap MINOR] [--json]
  merchants list [--json]
  reconcile --carrier ID --period YYYY-MM --file STATEMENT [--format csv|header-trailer] [--json]`;

/** What the CLI can do, whether it reaches the database directly or through a running gateway. */
interface Operator {
  createMerchant(input: NewMerchantInput): Promise<OnboardedMerchant>;
  listMerchants(): Promise<MerchantView[]>;
  reconcile(carrierId: string, period: string, file: string, format?: string): Promise<RunReport>;
  close(): Promise<void>;
}

class UsageError extends Error {}

/** The CLI on the database's own credentials acts as the machine's user, and the audit trail says so. */
function atTheMachine(): OperatorPrincipal {
  const user = userInfo().username;
  return { id: `cli:${user}`, name: `command line (${user})`, role: 'admin' };
}

async function operator(): Promise<Operator> {
  const config = loadConfig();
  const owner = await embeddedOwner(config);
  if (owner) {
    // The embedded database is open in a running gateway: ask it over its operator API.
    const call = async <T>(method: string, path: string, body?: BodyInit, type = 'application/json'): Promise<T> => {
      const response = await fetch(`${owner.url}/admin/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${owner.operatorToken}`, 'content-type': type },
        body,
        duplex: 'half',
      } as RequestInit);
      const json = (await response.json()) as T & { code?: string; message?: string };
      if (!response.ok) throw new Error(`${json.code ?? response.status}: ${json.message ?? ''}`);
      return json;
    };
    return {
      createMerchant: (input) => call('POST', '/merchants', JSON.stringify(input)),
      listMerchants: () => call('GET', '/merchants'),
      reconcile: (carrierId, period, file, format) =>
        call(
          'POST',
          `/reconciliations?${new URLSearchParams({ carrierId, period, ...(format ? { format } : {}) })}`,
          createReadStream(file) as unknown as BodyInit,
          'text/csv',
        ),
      close: async () => undefined,
    };
  }
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const simulatorUrl = process.env.SIMULATOR_URL ?? `http://127.0.0.1:${config.simulator.port}`;
  const { context, close } = await openContext(config, process.env, { log, simulatorUrl, soleInstance: false });
  return {
    // Checked as the operator API checks it (with the gateway running, the API does).
    createMerchant: (input) => createMerchant(context, atTheMachine(), parseInput(newMerchantSchema, input)),
    listMerchants: () => allMerchants(context),
    reconcile: async (carrierId, period, file, format) =>
      runReport(context, await reconcileStatement(context, carrierId, period, createReadStream(file), format)),
    close,
  };
}

function summary(report: RunReport): string {
  const counts = Object.entries(report.counts)
    .map(([k, n]) => `  ${k.padEnd(22)} ${n}`)
    .join('\n');
  const totals = Object.entries(report.totals)
    .map(([k, v]) => `  ${k.padEnd(22)} ${v} ${report.currency}`)
    .join('\n');
  return `reconciliation ${report.runId}: ${report.carrierId} ${report.period} (statement ${report.statementId})\n${counts}\n${totals}`;
}

async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      'one-step': { type: 'boolean', default: false },
      'validation-mode': { type: 'string' },
      scopes: { type: 'string' },
      'daily-cap': { type: 'string' },
      carrier: { type: 'string' },
      period: { type: 'string' },
      file: { type: 'string' },
      format: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const command = positionals.join(' ');
  const known = ['merchants create', 'merchants list', 'reconcile'];
  if (!known.includes(command)) throw new UsageError(USAGE);
  const mode = values['validation-mode'];
  if (mode !== undefined && mode !== 'validate' && mode !== 'open')
    throw new UsageError('--validation-mode must be validate or open');
  if (command === 'merchants create' && !values.name) throw new UsageError('merchants create needs --name');
  if (command === 'reconcile' && (!values.carrier || !values.period || !values.file))
    throw new UsageError('reconcile needs --carrier, --period and --file');

  const ops = await operator();
  try {
    if (command === 'merchants create') {
      const dailyCapMinor = values['daily-cap'] === undefined ? undefined : Number(values['daily-cap']);
      const merchant = await ops.createMerchant({
        name: values.name ?? '',
        oneStepPayments: values['one-step'],
        validationMode: mode,
        scopes: values.scopes?.split(','),
        dailyCapMinor,
      });
      console.log(
        values.json
          ? JSON.stringify(merchant, null, 2)
          : `merchant ${merchant.merchantId} "${merchant.name}"\n  client id     ${merchant.clientId}\n  client secret ${merchant.clientSecret} (shown once)`,
      );
    } else if (command === 'merchants list') {
      const merchants = await ops.listMerchants();
      console.log(
        values.json
          ? JSON.stringify(merchants, null, 2)
          : merchants.map((m) => `${m.merchantId}  ${m.clientId}  ${m.name}`).join('\n'),
      );
    } else {
      const report = await ops.reconcile(values.carrier ?? '', values.period ?? '', values.file ?? '', values.format);
      console.log(values.json ? JSON.stringify(report, null, 2) : summary(report));
    }
  } finally {
    await ops.close();
  }
}

await run(process.argv.slice(2)).catch((error: unknown) => {
  console.error(
    error instanceof UsageError || error instanceof ConfigError ? error.message : `error: ${(error as Error).message}`,
  );
  process.exit(error instanceof UsageError ? 2 : 1);
});
