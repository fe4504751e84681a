import type { PaymentStatus } from '../domain/payment-state.js';
import { missing } from '../ports/store/missing-row.js';
import type { EndingEvent, PaymentRecord } from '../ports/store/payments.js';
import type { Context } from '../services/context.js';
import { randomId } from '../services/keys.js';
import { CARRIER_UNAVAILABLE } from '../services/payments/errors.js';
import { carryOutRelease } from '../services/payments/release-reservation.js';

const BATCH = 200;
const ACTOR = 'job:expiry';

/** What lapses, and how it ends (CAMARA: an unvalidated payment is denied, an unconfirmed one cancelled). */
const LAPSE: ReadonlyArray<[PaymentStatus, EndingEvent, string | undefined]> = [
  ['reserving', 'reservation_declined', CARRIER_UNAVAILABLE],
  ['pending_validation', 'validation_expired', 'validation_expired'],
  ['reserved', 'reservation_expired', undefined],
];

/**
 * Ends payments whose code or reservation lapsed and releases their reservations; then retries
 * releases that an earlier run or a dead process left undone, forgets expired access tokens and
 * marks lapsed gift certificates expired. Under the job's lock, so with many instances one does the work.
 */
export async function expireLapsedPayments(ctx: Context): Promise<{ expired: number; released: number }> {
  const now = ctx.clock.now();
  const ended = await ctx.store.transaction(async (tx) => {
    if (!(await tx.jobs.tryLock('expiry'))) return undefined;
    const lapsed = await tx.payments.claimLapsed(
      LAPSE.map(([status]) => status),
      now,
      BATCH,
    );
    const out: Array<{ payment: PaymentRecord; releaseId: string }> = [];
    for (const payment of lapsed) {
      const [, event, denialReason] = LAPSE.find(([status]) => status === payment.status) ?? [];
      if (!event) continue;
      const releaseId = randomId('op_');
      const audit = { actor: ACTOR, event, fromStatus: payment.status };
      const updated =
        (await tx.payments.end(payment.id, { event, denialReason, releaseOperationId: releaseId }, now, audit)) ??
        missing('payments', payment.id);
      out.push({ payment: updated, releaseId });
    }
    // Releases left undone by an earlier run or a dead process, each leased to this run.
    const leftOver = await tx.operations.claimReleasesToRetry(
      now,
      new Date(now.getTime() - 60_000),
      new Date(now.getTime() + 60_000),
      BATCH,
    );
    return { out, leftOver };
  });
  if (!ended) return { expired: 0, released: 0 };
  await ctx.store.tokens.deleteExpired(now);
  await ctx.store.certificates.expireLapsed(now);

  for (const { payment, releaseId } of ended.out) await carryOutRelease(ctx, payment, releaseId, ACTOR);
  for (const op of ended.leftOver) {
    const payment = await ctx.store.payments.find(op.payment_id);
    if (payment) await carryOutRelease(ctx, payment, op.id, ACTOR);
  }
  return {
    expired: ended.out.length,
    released: ended.out.filter((e) => e.payment.reservation_id).length + ended.leftOver.length,
  };
}
