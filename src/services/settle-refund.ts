import type { CarrierOutcome } from '../ports/carrier.js';
import { appendAudit } from '../store/audit-repo.js';
import { giveBackBalance } from '../store/certificates-repo.js';
import { recordOutcome } from '../store/operations-repo.js';
import { updateRefund, type RefundRow } from '../store/refunds-repo.js';
import type { Context } from './context.js';

/**
 * Records the carrier's answer to a refund. Refunded → succeeded. Definitely not refunded → denied,
 * and the amount goes back onto the gift certificate. Unknown → still processing, for recovery.
 */
export async function settleRefund(ctx: Context, refund: RefundRow, operationId: string, result: { outcome: CarrierOutcome<unknown>; tries: number }, actor: string): Promise<RefundRow> {
  const { outcome, tries } = result;
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    await recordOutcome(tx, operationId, outcome, tries, now);
    const detail = { refundId: refund.id, operationId, outcome: outcome.kind, ...(outcome.kind === 'declined' ? { carrierCode: outcome.carrierCode } : {}) };
    const audit = (event: string) => appendAudit(tx, { paymentId: refund.payment_id, merchantId: refund.merchant_id, actor, event, detail });
    if (outcome.kind === 'succeeded') {
      await audit('refunded');
      return (await updateRefund(tx, refund.id, ['processing', 'manual_review'], 'succeeded', now)) ?? refund;
    }
    if (outcome.kind === 'unknown') {
      await audit('refund_outcome_unknown');
      return refund;
    }
    const reason = outcome.kind === 'declined' ? outcome.reason : 'carrier_unavailable';
    const denied = await updateRefund(tx, refund.id, ['processing', 'manual_review'], 'denied', now, reason);
    if (denied) await giveBackBalance(tx, refund.certificate_id, refund.amount_minor, now);
    await audit('refund_refused');
    return denied ?? refund;
  });
}
