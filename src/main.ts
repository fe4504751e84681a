import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator, type RunningSimulator } from '../adapters/simulator/server.js';
import { createApp } from './http/app.js';
import { loadConfig } from '../config/load.js';
import type { GatewayConfig } from '../config/schema.js';
import { openContext } from './context-factory.js';
import { startJobs } from './jobs/scheduler.js';
import { jobTable } from './jobs/table.js';
import type { Clock } from './ports/clock.js';
import { createLogger } from './logging.js';
import type { Context } from './services/context.js';
import type { Queryable } from './store/database.js';
import { recordOwner } from './store/embedded-owner.js';

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
  /** The database under the store: for tests that look at rows directly. */
  readonly database: Queryable;
  stop(): Promise<void>;
}

/** Wires configuration → simulator → stores and carriers (context-factory.ts) → HTTP and jobs, and starts them. */
export async function start(options: StartOptions = {}): Promise<RunningGateway> {
  const env = options.env ?? process.env;
  const config = loadConfig(env, options.overrides);
  const log = createLogger(config.logLevel);
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch((error: unknown) => log.error({ err: error }, 'stop failed'));
  };

  try {
    const simulator = config.simulator.enabled ? await startSimulator(config.simulator.port) : undefined;
    if (simulator) stops.push(() => simulator.stop());

    const simulatorUrl = simulator?.url ?? env.SIMULATOR_URL ?? `http://127.0.0.1:${config.simulator.port}`;
    const opened = await openContext(config, env, { log, clock: options.clock, simulatorUrl, soleInstance: true });
    stops.push(() => opened.close());
    const context = opened.context;
    const operatorToken = config.operatorToken ?? randomBytes(24).toString('base64url');

    const jobs = startJobs(jobTable(context), log);
    stops.push(() => jobs.stop());

    const server = await listen(createApp(context, operatorToken), config.port);
    stops.push(() => close(server));
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    if (opened.embedded && !config.dataDir.startsWith('memory://'))
      stops.push(await recordOwner(config.dataDir, { pid: process.pid, url, operatorToken }));

    return { url, simulator, operatorToken, context, database: opened.database, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
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
