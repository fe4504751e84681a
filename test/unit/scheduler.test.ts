import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startJobs, type Job } from '../../src/jobs/scheduler.js';
import type { RunLog } from '../../src/jobs/run-log.js';
import { until } from '../helpers/wait.js';

/** The scheduler writes every run to the run log, and a run log it cannot write never stops a job. */
const quiet = pino({ level: 'silent' });
const metrics = { jobRun: () => undefined };
let stop: (() => Promise<void>) | undefined;
afterEach(async () => stop?.());

describe('job runs in the run log', () => {
  it('writes the start and the end of each run, with what it did or why it failed', async () => {
    const written: Array<[string, string, unknown]> = [];
    const log: RunLog = {
      begin: (job) => Promise.resolve(`run-${job}`),
      end: (id, outcome, detail) => {
        written.push([id ?? '', outcome, detail]);
        return Promise.resolve();
      },
    };
    const jobs: Job[] = [
      { name: 'works', schedule: '0 0 0 1 1 *', runAtStart: true, run: () => Promise.resolve({ done: 2 }) },
      {
        name: 'fails',
        schedule: '0 0 0 1 1 *',
        runAtStart: true,
        run: () => Promise.reject(new Error('carrier away')),
      },
    ];
    const scheduled = startJobs(jobs, quiet, metrics, log);
    stop = () => scheduled.stop(1_000);
    await until(
      () => Promise.resolve(written.length),
      (n) => n === 2,
    );
    expect(written).toContainEqual(['run-works', 'succeeded', { done: 2 }]);
    expect(written).toContainEqual(['run-fails', 'failed', { error: 'carrier away' }]);
  });

  it('runs the job even when its start could not be written', async () => {
    let ran = false;
    const log: RunLog = { begin: () => Promise.resolve(undefined), end: () => Promise.resolve() };
    const job: Job = {
      name: 'works',
      schedule: '0 0 0 1 1 *',
      runAtStart: true,
      run: () => {
        ran = true;
        return Promise.resolve();
      },
    };
    const scheduled = startJobs([job], quiet, metrics, log);
    stop = () => scheduled.stop(1_000);
    await until(
      () => Promise.resolve(ran),
      (done) => done,
    );
    expect(ran).toBe(true);
  });
});
