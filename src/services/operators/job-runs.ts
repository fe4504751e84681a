import type { Context } from '../context.js';

/** Runs shown at most in one answer. */
export const MAX_JOB_RUNS = 500;

/**
 * The latest scheduled-job runs on every instance, newest first: which job, where, when, how long
 * and how it went. A run without an end whose instance no longer runs it was cut short.
 */
export async function recentJobRuns(ctx: Context, q: { job?: string; limit?: number }) {
  const runs = await ctx.store.jobRunLog.recent(Math.min(q.limit ?? 100, MAX_JOB_RUNS), q.job);
  return runs.map((r) => ({
    job: r.job,
    instance: r.instance,
    startedAt: r.started_at.toISOString(),
    endedAt: r.ended_at?.toISOString() ?? null,
    durationMs: r.ended_at ? r.ended_at.getTime() - r.started_at.getTime() : null,
    /** Null while the run goes on, or for good when its instance died during it. */
    outcome: r.outcome,
    detail: r.detail,
  }));
}
