import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { TestGateway } from './gateway.js';

/**
 * The command line against a test gateway's database and Redis (as an operator at that machine
 * would run it), with `--json`'s answer parsed. Only where the gateway uses a database server:
 * the CLI cannot open an embedded database another process holds.
 */
export async function runCli(gw: TestGateway, ...args: string[]): Promise<Record<string, unknown>> {
  const config = gw.context.config;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: {
      ...process.env,
      DATABASE_URL: config.databaseUrl,
      REDIS_URL: config.redisUrl,
      REDIS_PREFIX: config.redisPrefix,
      MASTER_KEY: config.masterKey,
      LOG_LEVEL: 'silent',
    },
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}
