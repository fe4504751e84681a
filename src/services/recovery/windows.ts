import { retryBudgetMs } from '../carriers/calls.js';
import type { Context } from '../context.js';

/** Operations one recovery run claims at most. */
export const RECOVERY_BATCH = 20;

/**
 * Grace and lease of a recovery claim. The grace is longer than any call in flight; the lease
 * covers one operation's resolution (its longest call budget and a margin), and the instance
 * working on a batch renews it every third of that (jobs/recovery.ts), so work claimed by an
 * instance that died is taken up again within the lease, seconds, never while one still works on it.
 */
export function recoveryWindows(ctx: Context): { graceSeconds: number; leaseSeconds: number } {
  const longest = Math.max(
    0,
    ...ctx.carriers.all().map(({ config }) => {
      const { chargeAmount, chargeReservation, refundAmount } = config.timeoutsMs;
      return retryBudgetMs(config.retry, Math.max(chargeAmount, chargeReservation, refundAmount));
    }),
  );
  const { recovery } = ctx.config;
  const oneCall = Math.ceil(longest / 1000) + 5;
  return {
    graceSeconds: Math.max(recovery.pendingGraceSeconds, oneCall),
    leaseSeconds: Math.max(recovery.retryAfterSeconds, oneCall),
  };
}
