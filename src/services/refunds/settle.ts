import type { CarrierOutcome } from '../../ports/carrier.js';
import type { Context } from '../context.js';
import { denialReasonOf } from '../payments/errors.js';
import type { RefundRecord } from '../../ports/store/refunds.js';

/**
 * Records the carrier's answer to a refund. Refunded → succeeded. Definitely not refunded → denied,
 * and the amount goes back onto the gift certificate. Unknown → still processing, for recovery.
 */
export async function settleRefund(
  ctx: Context,
  refund: RefundRecord,
  operationId: string,
  result: { outcome: CarrierOutcome<unknown>; tries: number },
  actor: string,
  /** The merchant waits for this answer (a synchronous create): a denial is its 403, not an event. */
  merchantWaits = false,
): Promise<RefundRecord> {
  const { outcome, tries } = result;
  const now = ctx.clock.now();
  const detail = {
    refundId: refund.id,
    operationId,
    outcome: outcome.kind,
    ...(outcome.kind === 'declined' ? { carrierCode: outcome.carrierCode } : {}),
  };
  const audit = (event: string) => ({ actor, event, detail });
  const settled = await ctx.store.transaction(async (tx) => {
    await tx.operations.recordOutcome(operationId, outcome, tries, now);
    if (outcome.kind === 'succeeded') {
      const refunded = await tx.refunds.recordRefunded(refund, now, audit('refunded'));
      if (refunded) return refunded;
      // Already ended denied, balance given back, and yet the carrier refunded: take the balance
      // again if it is still there, else leave it to people. Never silently.
      const current = await tx.refunds.find(refund.id);
      if (current?.status !== 'denied') return current ?? refund;
      ctx.log.error({ refundId: refund.id, operationId }, 'carrier applied a refund already recorded as denied');
      return (await tx.refunds.recordLateRefund(current, now, audit('refund_conflict'))) ?? current;
    }
    if (outcome.kind === 'unknown') {
      await tx.audit.record({
        ...audit('refund_outcome_unknown'),
        paymentId: refund.payment_id,
        merchantId: refund.merchant_id,
      });
      return refund;
    }
    const denied = await tx.refunds.recordDenied(
      refund,
      denialReasonOf(outcome),
      now,
      audit('refund_refused'),
      merchantWaits,
    );
    return denied ?? refund;
  });
  ctx.metrics.refundSettled(settled.status === 'manual_review' ? 'processing' : settled.status);
  return settled;
}
