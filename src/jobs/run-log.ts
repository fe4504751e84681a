import { hostname } from 'node:os';
import type { Context } from '../services/context.js';

/** Where the scheduler writes each job run's start and end (the `job_run_log` table). */
export interface RunLog {
  /** The run's id, or undefined when it could not be written (the run goes ahead all the same). */
  begin(job: string): Promise<string | undefined>;
  end(id: string | undefined, outcome: 'succeeded' | 'failed', detail: unknown): Promise<void>;
}

/**
 * The run log of this instance, signed with `jobs.instanceName` (INSTANCE_NAME), by default the
 * host name and process id. Writing it never stops a job: while the database is away the job
 * fails on its own, and a line missing from the log is only a warning.
 */
export function runLogOf(ctx: Context): RunLog {
  const instance = ctx.config.jobs.instanceName ?? `${hostname()}:${String(process.pid)}`;
  const warn = (about: { job: string } | { runId: string }) => (error: unknown) => {
    ctx.log.warn({ ...about, err: error }, 'could not write the job run log');
    return undefined;
  };
  return {
    begin: (job) => ctx.store.jobRunLog.begin(job, instance, ctx.clock.now()).catch(warn({ job })),
    async end(id, outcome, detail) {
      if (id === undefined) return;
      await ctx.store.jobRunLog.end(id, ctx.clock.now(), outcome, detail).catch(warn({ runId: id }));
    },
  };
}
