import { appendAudit } from '../store/audit-repo.js';
import { JOB_LOCKS, tryJobLock } from '../store/job-lock.js';
import { claimToRecover, recordOutcome, retryRecoveryIn, type OperationRow } from '../store/operations-repo.js';
import { findPayment } from '../store/payments-repo.js';
import { findRefund, updateRefund } from '../store/refunds-repo.js';
import { askCarrier } from './ask-carrier.js';
import type { Context } from './context.js';
import { settleRefund } from './settle-refund.js';

const ACTOR = 'job:recovery';

/**
 * Refunds whose carrier outcome is unknown, resolved as charges are: status query, or the same
 * reference sent again, or after `maxAttempts` manual review (CAMARA `processing` meanwhile).
 */
export async function recoverRefunds(ctx: Context, graceSeconds: number, leaseSeconds: number): Promise<number> {
  const claimed = await ctx.db.transaction(async (tx) =>
    (await tryJobLock(tx, JOB_LOCKS.refundRecovery))
      ? claimToRecover(tx, 'refund', graceSeconds, leaseSeconds, 20)
      : [],
  );
  for (const op of claimed) {
    try {
      await resolveRefund(ctx, op);
    } catch (error) {
      ctx.log.error({ operationId: op.id, err: error }, 'recovery of a refund failed');
    }
  }
  return claimed.length;
}

async function resolveRefund(ctx: Context, op: OperationRow): Promise<void> {
  const refund = op.refund_id ? await findRefund(ctx.db, op.refund_id) : undefined;
  const payment = await findPayment(ctx.db, op.payment_id);
  if (!refund || refund.status !== 'processing' || !payment) return;
  const carrier = ctx.carriers.get(op.carrier_id);
  const answer = carrier
    ? await askCarrier(carrier, op, {
        phoneNumber: payment.phone_number,
        amountMinor: refund.amount_minor,
        currency: refund.currency,
        description: `Refund: ${payment.description}`,
        reference: op.id,
      })
    : undefined;
  if (answer && (answer.outcome.kind === 'succeeded' || answer.outcome.kind === 'declined')) {
    await settleRefund(ctx, refund, op.id, answer, ACTOR);
    return;
  }
  if (op.recovery_attempts < ctx.config.recovery.maxAttempts) {
    await retryRecoveryIn(ctx.db, op.id, ctx.config.recovery.retryAfterSeconds);
    return;
  }
  await ctx.db.transaction(async (tx) => {
    await recordOutcome(tx, op.id, { kind: 'unknown', detail: 'recovery: carrier cannot tell' }, 0, ctx.clock.now());
    if (!(await updateRefund(tx, refund.id, ['processing'], 'manual_review', ctx.clock.now()))) return;
    await appendAudit(tx, {
      paymentId: refund.payment_id,
      merchantId: refund.merchant_id,
      actor: ACTOR,
      event: 'refund_manual_review',
      detail: { refundId: refund.id, operationId: op.id },
    });
  });
}
