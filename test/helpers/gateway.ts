import { randomBytes } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { defaults } from '../../config/default.js';
import { start, type RunningGateway } from '../../src/main.js';
import type { Clock } from '../../src/ports/clock.js';
import { freshDatabase } from './database.js';

export interface TestGateway extends RunningGateway {
  readonly simulatorUrl: string;
}

/**
 * The demo carriers with short timeouts and no backoff, so tests wait for nothing they do not mean
 * to; `moneyTimeoutMs` shortens charges and refunds further for tests of unanswered calls.
 */
export function testCarriers(options: { moneyTimeoutMs?: number; monthlyLimitMinor?: number } = {}) {
  const money = options.moneyTimeoutMs ?? 2000;
  return defaults.carriers.map((c) => ({
    ...c,
    ...(options.monthlyLimitMinor ? { monthlyLimitMinor: options.monthlyLimitMinor } : {}),
    timeoutsMs: {
      reserveAmount: 2000,
      chargeReservation: money,
      releaseReservation: 2000,
      chargeAmount: money,
      refundAmount: money,
      sendSms: 2000,
      statusQuery: 2000,
    },
    retry: { attempts: 3, backoffMs: 10 },
  }));
}

/**
 * The whole gateway as `npm start` runs it (HTTP, simulator over the network, jobs), on free
 * ports, with a database of its own. `overrides` change configuration keys for one test file.
 */
export async function startTestGateway(
  overrides: Record<string, unknown> = {},
  clock?: Clock,
  log: { level?: string; destination?: DestinationStream } = {},
): Promise<TestGateway> {
  const database = await freshDatabase();
  const gateway = await start({
    clock,
    logDestination: log.destination,
    env: {
      DATABASE_URL: database.url,
      REDIS_URL: process.env.REDIS_URL,
      REDIS_PREFIX: `cbg-test-${randomBytes(4).toString('hex')}:`,
      MASTER_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: log.level ?? process.env.TEST_LOG_LEVEL ?? 'silent',
    },
    overrides: {
      env: 'test',
      port: 0,
      dataDir: 'memory://',
      simulator: { enabled: true, port: 0 },
      otp: { resendCooldownSeconds: 0 },
      carriers: testCarriers(),
      ...overrides,
      // Request budgets get in the way of tests about something else; their own test sets them.
      limits: {
        readRequestsPerMerchantPerSecond: 100_000,
        writeRequestsPerMerchantPerSecond: 100_000,
        ...(overrides.limits as Record<string, unknown> | undefined),
      },
    },
  });
  return {
    ...gateway,
    simulatorUrl: gateway.simulator?.url ?? '',
    async stop() {
      await gateway.stop();
      await database.drop();
    },
  };
}
