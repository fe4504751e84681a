import type { CarrierOutcome } from '../ports/carrier.js';
import { appendAudit } from '../store/audit-repo.js';
import { giveBackBalance, takeBalance } from '../store/certificates-repo.js';
import { recordOutcome } from '../store/operations-repo.js';
import { findRefund, updateRefund, type RefundRow } from '../store/refunds-repo.js';
import type { Context } from './context.js';
import { denialReasonOf } from './payment-errors.js';

/**
 * Records the carrier's answer to a refund. Refunded → succeeded. Definitely not refunded → denied,
 * and the amount goes back onto the gift certificate. Unknown → still processing, for recovery.
 */
export async function settleRefund(
  ctx: Context,
  refund: RefundRow,
  operationId: string,
  result: { outcome: CarrierOutcome<unknown>; tries: number },
  actor: string,
): Promise<RefundRow> {
  const { outcome, tries } = result;
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    await recordOutcome(tx, operationId, outcome, tries, now);
    const detail = {
      refundId: refund.id,
      operationId,
      outcome: outcome.kind,
      ...(outcome.kind === 'declined' ? { carrierCode: outcome.carrierCode } : {}),
    };
    const audit = (event: string) =>
      appendAudit(tx, { paymentId: refund.payment_id, merchantId: refund.merchant_id, actor, event, detail });
    if (outcome.kind === 'succeeded') {
      const refunded = await updateRefund(tx, refund.id, ['processing', 'manual_review'], 'succeeded', now);
      if (refunded) {
        await audit('refunded');
        return refunded;
      }
      // Already ended denied, balance given back, and yet the carrier refunded: take the balance
      // again if it is still there, else leave it to people. Never silently.
      const current = await findRefund(tx, refund.id);
      if (current?.status !== 'denied') return current ?? refund;
      const retaken = await takeBalance(tx, refund.certificate_id, refund.amount_minor, 'refund');
      ctx.log.error({ refundId: refund.id, operationId }, 'carrier applied a refund already recorded as denied');
      await audit('refund_conflict');
      return (await updateRefund(tx, refund.id, ['denied'], retaken ? 'succeeded' : 'manual_review', now)) ?? current;
    }
    if (outcome.kind === 'unknown') {
      await audit('refund_outcome_unknown');
      return refund;
    }
    const reason = denialReasonOf(outcome);
    const denied = await updateRefund(tx, refund.id, ['processing', 'manual_review'], 'denied', now, reason);
    if (denied) await giveBackBalance(tx, refund.certificate_id, refund.amount_minor, now);
    await audit('refund_refused');
    return denied ?? refund;
  });
}
