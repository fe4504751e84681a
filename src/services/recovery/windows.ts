import { retryBudgetMs } from '../carriers/calls.js';
import type { Context } from '../context.js';

/** Operations one recovery run claims at most. */
export const RECOVERY_BATCH = 20;

/** Grace and lease of a recovery claim: longer than any call in flight, and than a whole batch. */
export function recoveryWindows(ctx: Context): { graceSeconds: number; leaseSeconds: number } {
  const longest = Math.max(
    0,
    ...ctx.carriers.all().map(({ config }) => {
      const { chargeAmount, chargeReservation, refundAmount } = config.timeoutsMs;
      return retryBudgetMs(config.retry, Math.max(chargeAmount, chargeReservation, refundAmount));
    }),
  );
  const { recovery } = ctx.config;
  return {
    graceSeconds: Math.max(recovery.pendingGraceSeconds, Math.ceil(longest / 1000) + 5),
    leaseSeconds: Math.max(recovery.retryAfterSeconds, Math.ceil((longest * RECOVERY_BATCH) / 1000)),
  };
}
