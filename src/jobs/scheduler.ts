import cron from 'node-cron';
import type { Logger } from '../logging.js';

export interface Job {
  readonly name: string;
  /** node-cron expression, seconds field first. */
  readonly schedule: string;
  run(): Promise<unknown>;
}

/**
 * Runs each job on its schedule in this process. A run never overlaps the previous one; failures
 * are logged and the next run tries again. Jobs take their own PostgreSQL advisory lock, so
 * every instance may schedule them.
 */
export function startJobs(jobs: readonly Job[], log: Logger): { stop(): Promise<void> } {
  const tasks = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      async () => {
        try {
          const result = await job.run();
          log.debug({ job: job.name, result }, 'job run');
        } catch (error) {
          log.error({ job: job.name, err: error }, 'job failed');
        }
      },
      { name: job.name, noOverlap: true },
    ),
  );
  return {
    async stop() {
      await Promise.all(tasks.map((t) => t.destroy()));
    },
  };
}
