import { inboundSmsRouters } from '../adapters/inbound-sms.js';
import { carrierPresented, receiveReply } from './services/phone-users/replies.js';
import { randomBytes } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator, type RunningSimulator } from '../adapters/simulator/server.js';
import express from 'express';
import { createApp } from './http/app.js';
import { scrape } from './http/routes/metrics.js';
import { loadConfig } from '../config/load.js';
import type { GatewayConfig } from '../config/schema.js';
import { openContext } from './context-factory.js';
import { watchMerchantChanges } from './services/access/merchant-authentication.js';
import { watchRiskRules } from './services/risk/rule-book.js';
import { adoptBootstrapToken } from './services/access/operator-accounts.js';
import { startJobs } from './jobs/scheduler.js';
import { within } from './services/within.js';
import { jobTable } from './jobs/table.js';
import { runLogOf } from './jobs/run-log.js';
import type { Clock } from './ports/clock.js';
import type { DestinationStream } from 'pino';
import { createLogger, type Logger } from './logging.js';
import type { Context } from './services/context.js';
import type { Queryable } from './store/database.js';
import { recordOwner } from './store/embedded-owner.js';

export interface StartOptions {
  env?: Record<string, string | undefined>;
  /** Configuration overrides (tests), applied before environment variables. */
  overrides?: Record<string, unknown>;
  clock?: Clock;
  /** Where the log goes instead of stdout (tests that read everything the gateway logged). */
  logDestination?: DestinationStream;
}

export interface RunningGateway {
  readonly url: string;
  readonly simulator?: RunningSimulator;
  readonly operatorToken: string;
  readonly context: Context;
  /** The database under the store: for tests that look at rows directly. */
  readonly database: Queryable;
  readonly log: Logger;
  stop(): Promise<void>;
}

/** Wires configuration → simulator → stores and carriers (context-factory.ts) → HTTP and jobs, and starts them. */
export async function start(options: StartOptions = {}): Promise<RunningGateway> {
  const env = options.env ?? process.env;
  const config = loadConfig(env, options.overrides);
  const log = createLogger(config.logLevel, options.logDestination);
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch((error: unknown) => log.error({ err: error }, 'stop failed'));
  };

  try {
    const simulator = config.simulator.enabled ? await startSimulator(config.simulator.port) : undefined;
    if (simulator) stops.push(() => simulator.stop());

    const simulatorUrl = simulator?.url ?? env.SIMULATOR_URL ?? `http://127.0.0.1:${config.simulator.port}`;
    // Bound first, so that the demo's public URL (where confirmation pages are) is its own address.
    const gateway = await bind(config.port);
    const server = gateway.server;
    const graceMs = config.shutdownTimeoutSeconds * 1000;
    const lifecycle = { draining: false };
    const jobs: { stop?: (graceMs: number) => Promise<void> } = {};
    // Shutdown: no new requests and no new job runs from the same moment; then both finish, before
    // the stores close (so it is registered twice: alone, in case the stores never open).
    let serving: Promise<unknown> | undefined;
    const stopServing = () => (serving ??= Promise.all([drain(server, lifecycle, graceMs, log), jobs.stop?.(graceMs)]));
    stops.push(stopServing);
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;

    // The in-process simulator delivers phone users' replies with a secret made up for this run.
    const carrierEnv =
      simulator && !env.SIMULATOR_INBOUND_SECRET
        ? { ...env, SIMULATOR_INBOUND_SECRET: randomBytes(32).toString('base64url') }
        : env;
    const opened = await openContext({ ...config, publicUrl: config.publicUrl ?? url }, carrierEnv, {
      log,
      clock: options.clock,
      simulatorUrl,
      soleInstance: true,
      metrics: true,
    });
    stops.push(async () => {
      await stopServing();
      // Asynchronous charges and refunds answered `processing` finish before their pools close.
      if (!(await opened.context.background.settle(graceMs))) log.warn('background work still going at shutdown');
      await opened.close();
    });
    const context = opened.context;
    // Merchants' tokens are cached here; an operator's change reaches every instance's cache.
    await watchMerchantChanges(context);
    await watchRiskRules(context);
    const operatorToken = config.operatorToken ?? randomBytes(24).toString('base64url');
    await adoptBootstrapToken(context, operatorToken);

    const scheduled = startJobs(jobTable(context), log, context.metrics, runLogOf(context));
    jobs.stop = (ms) => scheduled.stop(ms);
    const replies = await inboundSmsRouters(context.config.carriers, {
      authorize: (carrierId, username, password) => carrierPresented(context, carrierId, username, password),
      receive: (sms) => receiveReply(context, sms),
    });
    gateway.serve(createApp(context, operatorToken, lifecycle, replies));
    if (simulator && carrierEnv.SIMULATOR_INBOUND_SECRET)
      simulator.deliverRepliesTo({ gatewayUrl: url, secret: carrierEnv.SIMULATOR_INBOUND_SECRET });
    if (config.metricsPort !== undefined) {
      const metrics = await bind(config.metricsPort, config.metricsHost);
      metrics.serve(express().disable('x-powered-by').get('/metrics', scrape(context)));
      const metricsServer = metrics.server;
      stops.push(async () => {
        metricsServer.closeAllConnections();
        await new Promise((resolve) => metricsServer.close(resolve));
      });
    }
    if (opened.embedded && !config.dataDir.startsWith('memory://'))
      stops.push(await recordOwner(config.dataDir, { pid: process.pid, url, operatorToken }));

    return { url, simulator, operatorToken, context, database: opened.database, log, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** A server listening at once, answering 503 (retry in a second) until `serve` gives it its app. */
async function bind(port: number, host = '0.0.0.0'): Promise<{ server: Server; serve(app: RequestListener): void }> {
  let handler: RequestListener = (_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end(JSON.stringify({ status: 503, code: 'UNAVAILABLE', message: 'The gateway is starting; try again.' }));
  };
  const server = createServer((req, res) => handler(req, res));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
    server.listen(port, host);
  });
  return { server, serve: (app) => (handler = app) };
}

/**
 * Shutdown of the HTTP side: readiness turns false and new requests are refused at once; requests
 * in flight may finish for `graceMs`, after which their connections are cut.
 */
async function drain(server: Server, lifecycle: { draining: boolean }, graceMs: number, log: Logger): Promise<void> {
  lifecycle.draining = true;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // A kept-alive connection goes idle once its request is answered: close each as soon as it does.
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  server.closeIdleConnections();
  const finished = await within(graceMs, closed);
  clearInterval(sweep);
  if (!finished) {
    log.warn('requests still in flight at shutdown; closing their connections');
    server.closeAllConnections();
    await closed;
  }
}

export type { GatewayConfig };
