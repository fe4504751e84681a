import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../config/load.js';
import { createDatabase } from '../store/database.js';
import { startEmbeddedPostgres } from '../store/embedded.js';
import { liveOwner } from '../store/embedded-owner.js';
import { migrate } from '../store/migrate.js';
import { allMerchants, createMerchant, type NewMerchantInput } from '../services/merchants.js';

const USAGE = `usage: npm run cli -- <command>
  merchants create --name NAME [--one-step] [--validation-mode validate|open] [--scopes a,b] [--json]
  merchants list [--json]`;

/** What the CLI can do, whether it reaches the database directly or through a running gateway. */
interface Operator {
  createMerchant(input: NewMerchantInput): Promise<Record<string, unknown>>;
  listMerchants(): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

async function operator(): Promise<Operator> {
  const config = loadConfig();
  const owner = config.databaseUrl ? undefined : await liveOwner(config.dataDir);
  if (owner) {
    // The embedded database is open in a running gateway: ask it over its operator API.
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${owner.url}/admin/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${owner.operatorToken}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await response.json()) as Record<string, unknown>;
      if (!response.ok) throw new Error(`${json.code ?? response.status}: ${json.message ?? ''}`);
      return json;
    };
    return {
      createMerchant: (input) => call('POST', '/merchants', input),
      listMerchants: async () => (await call('GET', '/merchants')) as unknown as Array<Record<string, unknown>>,
      close: async () => undefined,
    };
  }
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.dataDir);
  const db = createDatabase(config.databaseUrl ?? embedded?.connectionString ?? '', 1);
  await migrate(db);
  return {
    createMerchant: (input) => createMerchant(db, input),
    listMerchants: () => allMerchants(db),
    async close() {
      await db.close();
      await embedded?.stop();
    },
  };
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
      json: { type: 'boolean', default: false },
    },
  });
  const command = positionals.join(' ');
  if (command !== 'merchants create' && command !== 'merchants list') throw new UsageError(USAGE);
  const mode = values['validation-mode'];
  if (mode !== undefined && mode !== 'validate' && mode !== 'open') throw new UsageError('--validation-mode must be validate or open');
  if (command === 'merchants create' && !values.name) throw new UsageError('merchants create needs --name');

  const ops = await operator();
  try {
    if (command === 'merchants create') {
      const merchant = await ops.createMerchant({ name: values.name ?? '', oneStepPayments: values['one-step'], validationMode: mode, scopes: values.scopes?.split(',') });
      console.log(values.json ? JSON.stringify(merchant, null, 2) : `merchant ${merchant.merchantId} "${merchant.name}"\n  client id     ${merchant.clientId}\n  client secret ${merchant.clientSecret} (shown once)`);
    } else {
      const merchants = await ops.listMerchants();
      console.log(values.json ? JSON.stringify(merchants, null, 2) : merchants.map((m) => `${m.merchantId}  ${m.clientId}  ${m.name}`).join('\n'));
    }
  } finally {
    await ops.close();
  }
}

class UsageError extends Error {}

await run(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof UsageError || error instanceof ConfigError ? error.message : `error: ${(error as Error).message}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
