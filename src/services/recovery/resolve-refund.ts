import type { OperationRecord } from '../../ports/store/carrier-operations.js';
import type { Context } from '../context.js';
import { settleRefund } from '../refunds/settle.js';
import { askCarrier } from './ask-carrier.js';

const ACTOR = 'job:recovery';

/**
 * One refund whose carrier outcome is unknown, resolved as charges are: status query, or the same
 * reference sent again, or after `maxAttempts` manual review (CAMARA `processing` meanwhile).
 */
export async function resolveRefund(ctx: Context, op: OperationRecord): Promise<void> {
  const refund = op.refund_id ? await ctx.store.refunds.find(op.refund_id) : undefined;
  const payment = await ctx.store.payments.find(op.payment_id);
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
    await ctx.store.operations.retryRecoveryIn(op.id, ctx.config.recovery.retryAfterSeconds);
    return;
  }
  await ctx.store.transaction(async (tx) => {
    const now = ctx.clock.now();
    await tx.operations.recordOutcome(op.id, { kind: 'unknown', detail: 'recovery: carrier cannot tell' }, 0, now);
    await tx.refunds.recordManualReview(refund, now, {
      actor: ACTOR,
      event: 'refund_manual_review',
      detail: { refundId: refund.id, operationId: op.id },
    });
  });
}
