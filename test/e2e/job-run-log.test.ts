import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireLapsedPayments } from '../../src/jobs/expiry.js';
import { http } from '../helpers/client.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { until } from '../helpers/wait.js';

/**
 * Issue 14, part 6: every run of every scheduled job is in the run log (job, instance, start,
 * end, outcome, what it did), for operators in the API and the dashboard; pruned after
 * JOB_RUN_LOG_KEEP_HOURS.
 */
let gw: TestGateway;
let clockOffsetMs = 0;

interface Run {
  job: string;
  instance: string;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  outcome: string;
  detail: unknown;
}

beforeAll(async () => {
  gw = await startTestGateway(
    {
      payments: { reservedTtlSeconds: 900, expirySchedule: '* * * * * *' },
      jobs: { instanceName: 'gateway-a', runLogKeepHours: 1 },
    },
    { now: () => new Date(Date.now() + clockOffsetMs) },
  );
});
afterAll(async () => gw?.stop());

const runs = async (query = '') =>
  (await http<Run[]>('GET', `${gw.url}/admin/v1/job-runs${query}`, { token: gw.operatorToken })).body;

describe('the job run log', () => {
  it('has every run with its instance, start, end, outcome and what it did', async () => {
    await until(
      () => runs('?job=expiry'),
      (list) => list.filter((r) => r.endedAt).length >= 2,
    );
    const expiry = await runs('?job=expiry&limit=5');
    expect(expiry.length).toBeGreaterThanOrEqual(2);
    for (const run of expiry.filter((r) => r.endedAt)) {
      // A failed run says why in its detail: shown when this fails.
      expect(run, JSON.stringify(run.detail)).toMatchObject({
        job: 'expiry',
        instance: 'gateway-a',
        outcome: 'succeeded',
      });
      expect(run.detail).toEqual({ expired: 0, released: 0 });
      expect(Date.parse(run.endedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(run.startedAt));
    }
    // Newest first, and the other jobs are there too (recovery runs once at start).
    expect(expiry.map((r) => r.startedAt)).toEqual([...expiry.map((r) => r.startedAt)].sort().reverse());
    expect(new Set((await runs('?limit=500')).map((r) => r.job))).toContain('recovery');
  });

  it('refuses a bad query with a clear error', async () => {
    const reply = await http('GET', `${gw.url}/admin/v1/job-runs?limit=100000`, { token: gw.operatorToken });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('INVALID_ARGUMENT');
  });

  it('is pruned by the expiry job after runLogKeepHours', async () => {
    const before = await runs('?limit=500');
    expect(before.length).toBeGreaterThan(2);
    clockOffsetMs = 2 * 3_600_000;
    const hourAgo = Date.now() + clockOffsetMs - 3_600_000;
    // Runs from two hours on, which the pruning must keep.
    await until(
      () => runs('?limit=500'),
      (list) => list.some((r) => Date.parse(r.startedAt) > hourAgo),
    );
    await expireLapsedPayments(gw.context);
    const left = await runs('?limit=500');
    expect(left.filter((r) => Date.parse(r.startedAt) < hourAgo)).toEqual([]);
    expect(left.length).toBeGreaterThan(0);
  });
});
