import { randomBytes } from 'node:crypto';
import { freshDatabase } from '../helpers/database.js';
import { freePort, kill, runTs, startSimulatorProcess, waitUntilUp } from '../helpers/processes.js';

/**
 * The simulator and the gateway each in its own process, on a fresh database of the machine's
 * PostgreSQL and on Redis, as the benchmarks drive them; `env` adds to or overrides the gateway's
 * settings, `nodeArgs` go to both processes (a CPU profile).
 */
export async function benchGateway(env: Record<string, string> = {}, nodeArgs: string[] = []) {
  process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = await freshDatabase();
  const simulator = await startSimulatorProcess(nodeArgs);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const operatorToken = randomBytes(24).toString('base64url');
  const gateway = runTs(
    'src/serve.ts',
    {
      DATABASE_URL: database.url,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `cbg-bench-${randomBytes(3).toString('hex')}:`,
      PORT: String(port),
      SIMULATOR: 'off',
      SIMULATOR_URL: simulator.url,
      OPERATOR_TOKEN: operatorToken,
      MASTER_KEY: randomBytes(32).toString('hex'),
      GATEWAY_ENV: 'test',
      LOG_LEVEL: 'warn',
      ...env,
    },
    undefined,
    nodeArgs,
  );
  const stop = async () => {
    await kill(gateway, 'SIGTERM');
    await kill(simulator.child, 'SIGTERM');
    await database.drop();
  };
  try {
    await waitUntilUp(url);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    database,
    gateway,
    simulator,
    stop,
    /** A merchant onboarded through the operator API: its client id and secret. */
    async newMerchant(name: string) {
      const reply = await fetch(`${url}/admin/v1/merchants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      return (await reply.json()) as { clientId: string; clientSecret: string };
    },
  };
}
