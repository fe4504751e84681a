import type { PaymentRecord } from '../ports/store/payments.js';
import type { Context } from '../services/context.js';
import { endLapsed, LAPSING_STATES } from '../services/payments/lapse.js';
import { carryOutRelease } from '../services/payments/release-reservation.js';
import { sessionIdleSince } from '../services/access/operator-session.js';
import { recoveryWindows } from '../services/recovery/windows.js';
import { deleteEndedSelfService } from '../services/phone-users/self-service-session.js';

const BATCH = 200;
/** Finished notifications deleted per run: a long backlog of them goes over several runs. */
const PRUNE_BATCH = 1000;
const ACTOR = 'job:expiry';

/**
 * Ends payments whose code or reservation lapsed, under the job's lock so that with many instances
 * one does it; then, after that commit, releases their reservations, retries releases that an
 * earlier run or a dead process left undone. Then the housekeeping of things that lapse: expired
 * access tokens, authorization requests and ended dashboard and self-service sessions are deleted, lapsed gift certificates marked expired,
 * notifications never tried within retryHours given up, and finished ones pruned after keepDays,
 * and the job run log pruned after runLogKeepHours.
 */
export async function expireLapsedPayments(ctx: Context): Promise<{ expired: number; released: number }> {
  const now = ctx.clock.now();
  const ended = await ctx.store.transaction(async (tx) => {
    if (!(await tx.jobs.tryLock('expiry'))) return undefined;
    const out: Array<{ payment: PaymentRecord; releaseId: string }> = [];
    for (const payment of await tx.payments.claimLapsed([...LAPSING_STATES], now, BATCH)) {
      const end = await endLapsed(tx, payment, ACTOR, now);
      if (end) out.push(end);
    }
    // Releases left undone by an earlier run or a dead process, each leased to this run: after the
    // same grace as recovery gives a charge (longer than any call in flight), well within the time
    // a carrier keeps a reservation (a release after it lapsed gives nothing back sooner).
    const { graceSeconds, leaseSeconds } = recoveryWindows(ctx);
    const leftOver = await tx.operations.claimReleasesToRetry(
      now,
      new Date(now.getTime() - graceSeconds * 1000),
      new Date(now.getTime() + leaseSeconds * 1000),
      BATCH,
    );
    return { out, leftOver };
  });
  if (!ended) return { expired: 0, released: 0 };
  // Releases first: housekeeping that fails must not leave reservations held.
  for (const { payment, releaseId } of ended.out) await carryOutRelease(ctx, payment, releaseId, ACTOR);
  for (const op of ended.leftOver) {
    const payment = await ctx.store.payments.find(op.payment_id);
    if (payment) await carryOutRelease(ctx, payment, op.id, ACTOR);
  }
  await ctx.store.tokens.deleteExpired(now);
  // Kept an hour past their expiry, so a late CIBA poll is told expired_token rather than invalid_grant.
  await ctx.store.grants.deleteExpiredRequests(new Date(now.getTime() - 3_600_000));
  await ctx.store.operators.deleteEndedSessions(now, sessionIdleSince(ctx, now));
  await deleteEndedSelfService(ctx, now);
  await ctx.store.certificates.expireLapsed(now);
  // Notifications a merchant's full slots kept from ever being tried end like those that failed.
  await ctx.store.notifications.giveUpStale(
    new Date(now.getTime() - ctx.config.notifications.retryHours * 3_600_000),
    PRUNE_BATCH,
  );
  await ctx.store.notifications.pruneFinished(
    new Date(now.getTime() - ctx.config.notifications.keepDays * 86_400_000),
    PRUNE_BATCH,
  );
  await ctx.store.jobRunLog.prune(new Date(now.getTime() - ctx.config.jobs.runLogKeepHours * 3_600_000), PRUNE_BATCH);
  return {
    expired: ended.out.length,
    released: ended.out.filter((e) => e.payment.reservation_id).length + ended.leftOver.length,
  };
}
