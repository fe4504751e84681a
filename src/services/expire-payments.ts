import type { PaymentEvent, PaymentStatus } from '../domain/payment-state.js';
import { appendAudit } from '../store/audit-repo.js';
import { JOB_LOCKS, tryJobLock } from '../store/job-lock.js';
import { claimReleasesToRetry } from '../store/operations-repo.js';
import { deleteExpiredTokens } from '../store/tokens-repo.js';
import { expireCertificates } from '../store/certificates-repo.js';
import { applyEvent, claimLapsed, findPayment, type PaymentRow } from '../store/payments-repo.js';
import type { Context } from './context.js';
import { CARRIER_UNAVAILABLE } from './payment-errors.js';
import { carryOutRelease, recordRelease } from './release-reservation.js';

const BATCH = 200;
const ACTOR = 'job:expiry';

/** What lapses, and how it ends (CAMARA: an unvalidated payment is denied, an unconfirmed one cancelled). */
const LAPSE: ReadonlyArray<[PaymentStatus, PaymentEvent, string | null]> = [
  ['reserving', 'reservation_declined', CARRIER_UNAVAILABLE],
  ['pending_validation', 'validation_expired', 'validation_expired'],
  ['reserved', 'reservation_expired', null],
];

/**
 * Ends payments whose code or reservation lapsed and releases their reservations; then retries
 * releases that an earlier run or a dead process left undone, forgets expired access tokens and
 * marks lapsed gift certificates expired. Under a PostgreSQL advisory lock,
 * so with many instances one does the work.
 */
export async function expireLapsedPayments(ctx: Context): Promise<{ expired: number; released: number }> {
  const now = ctx.clock.now();
  const ended = await ctx.db.transaction(async (tx) => {
    if (!(await tryJobLock(tx, JOB_LOCKS.expiry))) return undefined;
    const lapsed = await claimLapsed(
      tx,
      LAPSE.map(([status]) => status),
      now,
      BATCH,
    );
    const out: Array<{ payment: PaymentRow; operationId?: string }> = [];
    for (const payment of lapsed) {
      const [, event, reason] = LAPSE.find(([status]) => status === payment.status) ?? [];
      if (!event) continue;
      const updated = (await applyEvent(
        tx,
        payment.id,
        event,
        { deadline_at: null, otp_digest: null, ...(reason ? { denial_reason: reason } : {}) },
        now,
      )) as PaymentRow;
      await appendAudit(tx, {
        paymentId: payment.id,
        merchantId: payment.merchant_id,
        actor: ACTOR,
        event,
        fromStatus: payment.status,
        toStatus: updated.status,
      });
      out.push({ payment: updated, operationId: await recordRelease(tx, updated) });
    }
    // Releases left undone by an earlier run or a dead process, each leased to this run.
    const leftOver = await claimReleasesToRetry(
      tx,
      now,
      new Date(now.getTime() - 60_000),
      new Date(now.getTime() + 60_000),
      BATCH,
    );
    return { out, leftOver };
  });
  if (!ended) return { expired: 0, released: 0 };
  await deleteExpiredTokens(ctx.db, now);
  await expireCertificates(ctx.db, now);

  for (const { payment, operationId } of ended.out) await carryOutRelease(ctx, payment, operationId, ACTOR);
  for (const op of ended.leftOver) {
    const payment = await findPayment(ctx.db, op.payment_id);
    if (payment) await carryOutRelease(ctx, payment, op.id, ACTOR);
  }
  return { expired: ended.out.length, released: ended.out.filter((e) => e.operationId).length + ended.leftOver.length };
}
