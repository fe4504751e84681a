import { ConfigError } from '../config/load.js';
import { start } from './main.js';

/**
 * `npm run start:prod` (`node dist/src/production.js`): the gateway as a carrier or aggregator runs
 * it. GATEWAY_ENV is production whatever the environment says, so the configuration refuses to
 * start without its servers and secrets; nothing is created and no secret is printed. SIGTERM or
 * SIGINT drains it (readiness false, new requests refused, requests and job runs in flight
 * finished within SHUTDOWN_TIMEOUT_SECONDS) and it exits 0.
 */
async function runProduction(): Promise<void> {
  const gateway = await start({ env: { ...process.env, GATEWAY_ENV: 'production' } });
  const { port } = new URL(gateway.url);
  gateway.log.info({ port: Number(port), publicUrl: gateway.context.config.publicUrl }, 'gateway ready');
  const graceMs = gateway.context.config.shutdownTimeoutSeconds * 1000;
  const shutdown = (signal: string) => {
    gateway.log.info({ signal }, 'shutting down');
    // Past the grace period and a margin for closing the pools, leave anyway: the orchestrator
    // would kill us soon, and everything that matters is in the database already.
    setTimeout(() => {
      gateway.log.error('shutdown overran its time; exiting');
      process.exit(1);
    }, graceMs + 10_000).unref();
    void gateway.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

await runProduction().catch((error: unknown) => {
  // A configuration error is one line naming the variable; anything else, the error itself.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
