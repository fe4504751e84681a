import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { EmptyStatementError, previousPeriod } from '../domain/statement.js';
import type { Context } from '../services/context.js';
import { reconcileStatement } from '../services/reconciliation/reconcile-statement.js';

const JOB = 'monthly-statements' as const;

/**
 * The monthly job: fetch each carrier's statement of the previous month from its statement
 * endpoint and reconcile it. A `job_runs` row per carrier and period (claimed under an advisory
 * lock) makes it run once across all instances; a failed run gives its row up so it can be retried.
 */
export async function reconcileLastMonth(ctx: Context): Promise<Record<string, string>> {
  const period = previousPeriod(ctx.clock.now());
  const outcomes: Record<string, string> = {};
  for (const carrier of ctx.carriers.all()) {
    const url = carrier.config.statement.url?.replace('{period}', period);
    if (!url) continue;
    const key = `${carrier.config.id}:${period}`;
    const claimed = await ctx.store.transaction(
      async (tx) => (await tx.jobs.tryLock(JOB)) && tx.jobs.claimRun(JOB, key),
    );
    if (!claimed) continue;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(300_000) });
      if (!response.ok || !response.body) throw new Error(`statement endpoint answered ${response.status}`);
      const run = await reconcileStatement(
        ctx,
        carrier.config.id,
        period,
        Readable.fromWeb(response.body as ReadableStream),
      );
      await ctx.store.jobs.finishRun(JOB, key, `run ${run.id}`);
      outcomes[key] = run.id;
    } catch (error) {
      if (error instanceof EmptyStatementError) {
        await ctx.store.jobs.finishRun(JOB, key, 'no events this period');
        outcomes[key] = 'empty';
        continue;
      }
      await ctx.store.jobs.releaseRun(JOB, key);
      ctx.log.error({ job: JOB, key, err: error }, 'statement reconciliation failed');
      outcomes[key] = `failed: ${(error as Error).message}`;
    }
  }
  return outcomes;
}
