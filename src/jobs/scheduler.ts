import cron from 'node-cron';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { RunLog } from './run-log.js';
import { within } from '../services/within.js';

export interface Job {
  readonly name: string;
  /** node-cron expression, seconds field first. */
  readonly schedule: string;
  /** Also run once right away (recovery after a crash should not wait for the first tick). */
  readonly runAtStart?: boolean;
  run(): Promise<unknown>;
  /** Lets work a run started in the background (deliveries) finish at shutdown, for at most `ms`. */
  settle?(ms: number): Promise<void>;
}

/**
 * Runs each job on its schedule in this process. A run never overlaps the previous one; failures
 * are logged and the next run tries again. Jobs take their own PostgreSQL advisory lock, so
 * every instance may schedule them. Every run is written to the run log, start and end.
 */
export function startJobs(
  jobs: readonly Job[],
  log: Logger,
  metrics: Pick<Metrics, 'jobRun'>,
  runLog: RunLog,
): { stop(timeoutMs: number): Promise<void> } {
  const running = new Set<Promise<void>>();
  const runOnce = (job: Job) => {
    const run = (async () => {
      const started = process.hrtime.bigint();
      const took = () => Number(process.hrtime.bigint() - started) / 1e9;
      const id = await runLog.begin(job.name);
      try {
        const result = await job.run();
        metrics.jobRun(job.name, true, took());
        log.debug({ job: job.name, result }, 'job run');
        await runLog.end(id, 'succeeded', result);
      } catch (error) {
        metrics.jobRun(job.name, false, took());
        log.error({ job: job.name, err: error }, 'job failed');
        await runLog.end(id, 'failed', { error: error instanceof Error ? error.message : String(error) });
      }
    })();
    running.add(run);
    return run.finally(() => running.delete(run));
  };
  const tasks = jobs.map((job) => cron.schedule(job.schedule, () => runOnce(job), { name: job.name, noOverlap: true }));
  for (const job of jobs) if (job.runAtStart) void runOnce(job);
  return {
    async stop(timeoutMs) {
      for (const task of tasks) await task.destroy();
      // Let runs in progress, and what they started, finish before the database they use is closed, for so long.
      const finished = await within(
        timeoutMs,
        Promise.all([...running, ...jobs.map((job) => job.settle?.(timeoutMs))]),
      );
      if (!finished) log.warn({ jobs: running.size }, 'job runs still going at shutdown');
    },
  };
}
