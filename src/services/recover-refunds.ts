import { appendAudit } from '../store/audit-repo.js';
import { JOB_LOCKS, tryJobLock } from '../store/job-lock.js';
import { claimRefundsToRecover, recordOutcome, type OperationRow } from '../store/operations-repo.js';
import { findPayment } from '../store/payments-repo.js';
import { findRefund, updateRefund } from '../store/refunds-repo.js';
import type { CarrierOutcome } from '../ports/carrier.js';
import { callWithRetries } from './carrier-calls.js';
import type { Context } from './context.js';
import { settleRefund } from './settle-refund.js';

const ACTOR = 'job:recovery';

/**
 * Refunds whose carrier outcome is unknown, resolved as charges are: status query, or the same
 * reference sent again, or after `maxAttempts` manual review (CAMARA `processing` meanwhile).
 */
export async function recoverRefunds(ctx: Context, pendingBefore: Date): Promise<number> {
  const now = ctx.clock.now();
  const claimed = await ctx.db.transaction(async (tx) =>
    (await tryJobLock(tx, JOB_LOCKS.refundRecovery)) ? claimRefundsToRecover(tx, now, pendingBefore, new Date(now.getTime() + ctx.config.recovery.retryAfterSeconds * 1000), 100) : [],
  );
  for (const op of claimed) await resolveRefund(ctx, op);
  return claimed.length;
}

async function resolveRefund(ctx: Context, op: OperationRow): Promise<void> {
  const refund = op.refund_id ? await findRefund(ctx.db, op.refund_id) : undefined;
  const payment = await findPayment(ctx.db, op.payment_id);
  const carrier = ctx.carriers.get(op.carrier_id);
  if (!refund || refund.status !== 'processing' || !payment || !carrier) return;

  let answer: { outcome: CarrierOutcome<unknown>; tries: number } | undefined;
  if (carrier.config.capabilities.statusQuery && carrier.adapter.queryTransaction) {
    const status = await carrier.adapter.queryTransaction({ reference: op.id, phoneNumber: payment.phone_number, kind: 'refund' });
    if (status === 'applied') answer = { outcome: { kind: 'succeeded', value: undefined }, tries: 1 };
    if (status === 'not_applied') answer = { outcome: { kind: 'declined', reason: 'other', carrierCode: 'not refunded (status query)' }, tries: 1 };
  } else if (carrier.config.capabilities.idempotentReferences) {
    answer = await callWithRetries(carrier.config.retry, () =>
      carrier.adapter.refundAmount({ phoneNumber: payment.phone_number, amountMinor: refund.amount_minor, currency: refund.currency, description: `Refund: ${payment.description}`, reference: op.id }),
    );
  }
  if (answer && (answer.outcome.kind === 'succeeded' || answer.outcome.kind === 'declined')) {
    await settleRefund(ctx, refund, op.id, answer, ACTOR);
    return;
  }
  if (op.recovery_attempts < ctx.config.recovery.maxAttempts) return;
  await ctx.db.transaction(async (tx) => {
    await recordOutcome(tx, op.id, { kind: 'unknown', detail: 'recovery: carrier cannot tell' }, 0, ctx.clock.now());
    await updateRefund(tx, refund.id, ['processing'], 'manual_review', ctx.clock.now());
    await appendAudit(tx, { paymentId: refund.payment_id, merchantId: refund.merchant_id, actor: ACTOR, event: 'refund_manual_review', detail: { refundId: refund.id, operationId: op.id } });
  });
}
