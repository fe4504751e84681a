import { randomBytes } from 'node:crypto';
import { ConfigError } from '../config/load.js';
import type { CarrierConfig, GatewayConfig } from '../config/schema.js';
import { createCarrierAdapter } from '../adapters/registry.js';
import { createCamaraSignals } from '../adapters/camara/signals.js';
import { STATEMENT_PARSERS } from '../adapters/statements/index.js';
import { createWebhookSender } from '../adapters/webhooks/sender.js';
import { createMemoryCache } from './cache/memory-cache.js';
import { createRedisCache, type RedisTarget } from './cache/redis-cache.js';
import { BackgroundWork } from './services/background.js';
import type { Logger } from './logging.js';
import { systemClock, type Clock } from './ports/clock.js';
import { configuredPortability } from './ports/number-portability.js';
import { CarrierDirectory } from './services/carriers/directory.js';
import { CircuitBreaker } from './domain/circuit-breaker.js';
import { guardWithBreaker } from './services/carriers/circuit-guard.js';
import type { Context } from './services/context.js';
import { deriveKeys } from './services/keys.js';
import { createDatabase, type Database } from './store/database.js';
import { liveOwner, type EmbeddedOwner } from './store/embedded-owner.js';
import { startEmbeddedPostgres } from './store/embedded.js';
import { migrate } from './store/migrate.js';
import { createStore } from './store/pg-store.js';
import { prometheusMetrics } from './metrics/prometheus.js';
import { noMetrics, type Metrics } from './ports/metrics.js';
import { CallStats } from './services/carriers/call-stats.js';
import { meterCalls } from './services/carriers/metered.js';
import { getOrCreateSecret } from './store/secrets.js';
import { claimSoleInstance } from './store/sole-instance.js';

export interface OpenedContext {
  readonly context: Context;
  /** The database under the store: for tests and tools that look at rows directly, never for use cases. */
  readonly database: Database;
  /** Whether the database is the embedded one (living in this process). */
  readonly embedded: boolean;
  readonly close: () => Promise<void>;
}

/**
 * Everything a use case needs, opened from the configuration: the database (embedded or not,
 * migrated), the cache, the keys, and the carriers with their adapters and circuit breakers.
 * The gateway (main.ts) and the operator CLI share it.
 */
export async function openContext(
  config: GatewayConfig,
  env: Record<string, string | undefined>,
  options: {
    log: Logger;
    clock?: Clock;
    simulatorUrl: string;
    soleInstance: boolean;
    /** Whether this process is a gateway whose metrics are scraped (not the CLI). */
    metrics?: boolean;
  },
): Promise<OpenedContext> {
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const closer of closers.reverse())
      await closer().catch((error: unknown) => options.log.error({ err: error }, 'close failed'));
  };
  try {
    const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.dataDir);
    if (embedded) closers.push(() => embedded.stop());
    // The embedded server takes one connection at a time, and no COPY.
    const db = createDatabase(
      config.databaseUrl ?? embedded?.connectionString ?? '',
      embedded ? 1 : config.databasePoolSize,
      { embedded: embedded !== undefined },
    );
    closers.push(() => db.close());
    await migrate(db);
    const redis: RedisTarget | undefined = config.redisSentinels
      ? { sentinels: config.redisSentinels, name: config.redisMasterName ?? '', credentials: config.redisUrl }
      : config.redisUrl;
    if (options.soleInstance && config.databaseUrl && !redis) closers.push(await claimSoleInstance(db.currentUrl()));

    // Without MASTER_KEY (only the demo may) a key is generated once and kept beside the data it
    // protects; acceptable for the embedded demo, a warning on a database of one's own.
    if (!config.masterKey && config.databaseUrl)
      options.log.warn('MASTER_KEY is not set: a generated key is stored in the database');
    const masterKey = config.masterKey ?? (await getOrCreateSecret(db, 'master_key', randomBytes(32).toString('hex')));
    const cache = redis ? await createRedisCache(redis, config.redisPrefix) : createMemoryCache();
    closers.push(() => cache.close());

    // The metrics read the store and the carriers at each scrape; the store reports each payment's
    // new state to the metrics after commit.
    const metrics: Metrics = options.metrics
      ? prometheusMetrics({
          backlogs: () => store.backlogs(),
          circuits: () => carriers.all().map((c) => ({ carrierId: c.config.id, state: c.breaker.state() })),
          limitsLocal: () => cache.degraded(),
        })
      : noMetrics;
    const store = createStore(db, {
      paymentChanged: (p) => {
        metrics.paymentReached(p.status, p.carrier_id, p.merchant_id);
      },
    });

    const carriers = new CarrierDirectory(
      await Promise.all(
        config.carriers.map(async (c) => {
          const resolved = withSimulatorUrl(c, options.simulatorUrl);
          const breaker = new CircuitBreaker(c.circuitBreaker.failureThreshold, c.circuitBreaker.openSeconds * 1000);
          const stats = new CallStats();
          const adapter = meterCalls(await createCarrierAdapter(resolved, env), metrics, stats);
          const inboundSecret = c.inboundSecretEnv ? env[c.inboundSecretEnv] : undefined;
          if (inboundSecret !== undefined && inboundSecret.length < 32)
            throw new ConfigError(`invalid configuration: ${c.inboundSecretEnv ?? ''} must be at least 32 characters`);
          const signals = resolved.signals && createCamaraSignals(resolved.signals, config.risk.signalTimeoutMs);
          if (signals) closers.push(async () => signals.close());
          return {
            config: resolved,
            adapter: guardWithBreaker(adapter, breaker),
            breaker,
            stats,
            ...(signals ? { signals } : {}),
            ...(inboundSecret ? { inboundSecret } : {}),
          };
        }),
      ),
      configuredPortability(config.portedNumbers),
    );
    closers.push(() => carriers.close());
    for (const [number, carrierId] of Object.entries(config.portedNumbers)) {
      if (!carriers.get(carrierId))
        throw new ConfigError(`invalid configuration: portedNumbers.${number}: no carrier "${carrierId}"`);
    }

    const webhooks = createWebhookSender({
      allowPrivate: config.notifications.allowHttpSinks,
      dnsTimeoutMs: config.notifications.dnsTimeoutMs,
    });
    closers.push(async () => webhooks.close());
    const context: Context = {
      config,
      store,
      metrics,
      cache,
      clock: options.clock ?? systemClock,
      keys: deriveKeys(masterKey),
      carriers,
      log: options.log,
      statementParsers: STATEMENT_PARSERS,
      webhooks,
      background: new BackgroundWork(options.log),
    };
    return { context, database: db, embedded: Boolean(embedded), close };
  } catch (error) {
    await close();
    throw error;
  }
}

function withSimulatorUrl<C extends CarrierConfig>(carrier: C, simulatorUrl: string): C {
  const fill = (url: string) => url.replace('{simulatorUrl}', simulatorUrl);
  const endpoints = Object.fromEntries(Object.entries(carrier.endpoints).map(([name, url]) => [name, fill(url)]));
  const statement = { ...carrier.statement, ...(carrier.statement.url ? { url: fill(carrier.statement.url) } : {}) };
  const signals = carrier.signals && {
    simSwapCheck: fill(carrier.signals.simSwapCheck),
    tenureCheck: fill(carrier.signals.tenureCheck),
  };
  return { ...carrier, endpoints: endpoints as C['endpoints'], statement, ...(signals ? { signals } : {}) };
}

/** The running gateway that holds the embedded database of this configuration, if one does. */
export async function embeddedOwner(config: GatewayConfig): Promise<EmbeddedOwner | undefined> {
  return config.databaseUrl ? undefined : liveOwner(config.dataDir);
}
