import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from '../config/load.js';
import type { CarrierConfig, GatewayConfig } from '../config/schema.js';
import { createCarrierAdapter } from '../adapters/registry.js';
import { startSimulator, type RunningSimulator } from '../adapters/simulator/server.js';
import { createMemoryCache } from './cache/memory-cache.js';
import { createRedisCache } from './cache/redis-cache.js';
import { createApp } from './http/app.js';
import { startJobs } from './jobs/scheduler.js';
import { createLogger } from './logging.js';
import { systemClock, type Clock } from './ports/clock.js';
import { configuredPortability } from './ports/number-portability.js';
import { CarrierDirectory } from './services/carrier-directory.js';
import { CircuitBreaker, guardWithBreaker } from './services/circuit-guard.js';
import type { Context } from './services/context.js';
import { expireLapsedPayments } from './services/expire-payments.js';
import { recoverCharges } from './services/recover-charges.js';
import { deriveKeys } from './services/keys.js';
import { createDatabase } from './store/database.js';
import { startEmbeddedPostgres } from './store/embedded.js';
import { recordOwner } from './store/embedded-owner.js';
import { migrate } from './store/migrate.js';
import { claimSoleInstance } from './store/sole-instance.js';
import { getOrCreateSecret } from './store/secrets-repo.js';

export interface StartOptions {
  env?: Record<string, string | undefined>;
  /** Configuration overrides (tests), applied before environment variables. */
  overrides?: Record<string, unknown>;
  clock?: Clock;
}

export interface RunningGateway {
  readonly url: string;
  readonly simulator?: RunningSimulator;
  readonly operatorToken: string;
  readonly context: Context;
  stop(): Promise<void>;
}

/** Wires configuration → stores → carriers → HTTP and jobs, and starts them. */
export async function start(options: StartOptions = {}): Promise<RunningGateway> {
  const env = options.env ?? process.env;
  const config = loadConfig(env, options.overrides);
  const log = createLogger(config.logLevel);
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log.error({ err: error }, 'stop failed'));
  };

  try {
    const simulator = config.simulator.enabled ? await startSimulator(config.simulator.port) : undefined;
    if (simulator) stops.push(() => simulator.stop());

    const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.dataDir);
    if (embedded) stops.push(() => embedded.stop());
    // The embedded server takes one connection at a time.
    const db = createDatabase(config.databaseUrl ?? (embedded as { connectionString: string }).connectionString, embedded ? 1 : 20);
    stops.push(() => db.close());
    await migrate(db);

    if (config.databaseUrl && !config.redisUrl) stops.push(await claimSoleInstance(config.databaseUrl));

    // Without MASTER_KEY (demo, tests) a key is generated once and kept beside the data it protects;
    // acceptable for the embedded demo, a warning anywhere else.
    if (!config.masterKey && config.databaseUrl) log.warn('MASTER_KEY is not set: a generated key is stored in the database');
    const masterKey = config.masterKey ?? (await getOrCreateSecret(db, 'master_key', randomBytes(32).toString('hex')));
    const cache = config.redisUrl ? await createRedisCache(config.redisUrl, config.redisPrefix) : createMemoryCache();
    stops.push(() => cache.close());

    const simulatorUrl = simulator?.url ?? env.SIMULATOR_URL ?? `http://127.0.0.1:${config.simulator.port}`;
    const carriers = new CarrierDirectory(
      await Promise.all(config.carriers.map(async (c) => {
        const resolved = withSimulatorUrl(c, simulatorUrl);
        const breaker = new CircuitBreaker(c.circuitBreaker.failureThreshold, c.circuitBreaker.openSeconds * 1000);
        return { config: resolved, adapter: guardWithBreaker(await createCarrierAdapter(resolved, env), breaker), breaker };
      })),
      configuredPortability(config.portedNumbers),
    );
    for (const [number, carrierId] of Object.entries(config.portedNumbers)) {
      if (!carriers.get(carrierId)) throw new ConfigError(`invalid configuration: portedNumbers.${number}: no carrier "${carrierId}"`);
    }
    stops.push(() => carriers.close());

    const context: Context = { config, db, cache, clock: options.clock ?? systemClock, keys: deriveKeys(masterKey), carriers, log };
    const operatorToken = config.operatorToken ?? randomBytes(24).toString('base64url');

    const jobs = startJobs(
      [
        { name: 'expiry', schedule: config.payments.expirySchedule, run: () => expireLapsedPayments(context) },
        { name: 'recovery', schedule: config.recovery.schedule, runAtStart: true, run: () => recoverCharges(context) },
      ],
      log,
    );
    stops.push(() => jobs.stop());

    const server = await listen(createApp(context, operatorToken), config.port);
    stops.push(() => close(server));
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    if (embedded && !config.dataDir.startsWith('memory://')) stops.push(await recordOwner(config.dataDir, { pid: process.pid, url, operatorToken }));

    return { url, simulator, operatorToken, context, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function withSimulatorUrl<C extends CarrierConfig>(carrier: C, simulatorUrl: string): C {
  const endpoints = Object.fromEntries(Object.entries(carrier.endpoints).map(([name, url]) => [name, url.replace('{simulatorUrl}', simulatorUrl)]));
  return { ...carrier, endpoints: endpoints as C['endpoints'] };
}

async function listen(app: ReturnType<typeof createApp>, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, '0.0.0.0');
    server.keepAliveTimeout = 65_000;
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

async function close(server: Server): Promise<void> {
  server.closeIdleConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export type { GatewayConfig };
