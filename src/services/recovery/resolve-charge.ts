import type { OperationRecord } from '../../ports/store/carrier-operations.js';
import type { Context } from '../context.js';
import { merchantName } from '../merchant-name.js';
import { settleCharge } from '../payments/settle-charge.js';
import { askCarrier } from './ask-carrier.js';

const ACTOR = 'job:recovery';

/**
 * One charge whose outcome the gateway does not know — the carrier timed out, or a process died
 * between writing the intent and the outcome: the carrier is asked what happened. A known outcome
 * settles the payment (late gift certificate, or denied and released); after `maxAttempts` tries
 * an unknowable charge goes to manual review, for the monthly statement.
 */
export async function resolveCharge(
  ctx: Context,
  op: OperationRecord,
): Promise<'settled' | 'manual_review' | 'open' | 'skipped'> {
  const payment = await ctx.store.payments.find(op.payment_id);
  if (!payment || payment.status !== 'charging') return 'skipped';
  const carrier = ctx.carriers.get(op.carrier_id);
  const answer = carrier
    ? await askCarrier(carrier, op, {
        phoneNumber: payment.phone_number,
        amountMinor: payment.amount_minor,
        currency: payment.currency,
        description: payment.description,
        reference: op.id,
        reservationId: payment.reservation_id ?? undefined,
      })
    : undefined;

  if (answer && (answer.outcome.kind === 'succeeded' || answer.outcome.kind === 'declined')) {
    await settleCharge(ctx, payment, op.id, answer, await merchantName(ctx, payment.merchant_id), ACTOR, true);
    return 'settled';
  }

  const giveUp = op.recovery_attempts >= ctx.config.recovery.maxAttempts;
  await ctx.store.transaction(async (tx) => {
    // The payment before its operation, as every writer of both takes them (see settle-charge.ts).
    await tx.payments.lock(payment.id);
    const detail = answer ? `recovery: ${answer.outcome.kind}` : 'recovery: carrier cannot tell';
    await tx.operations.recordOutcome(op.id, { kind: 'unknown', detail }, answer?.tries ?? 0, ctx.clock.now());
    await tx.operations.retryRecoveryIn(op.id, ctx.config.recovery.retryAfterSeconds);
    if (!giveUp) return;
    await tx.payments.recordManualReview(payment.id, ctx.clock.now(), {
      actor: ACTOR,
      event: 'manual_review',
      fromStatus: 'charging',
      detail: { operationId: op.id, attempts: op.recovery_attempts, carrierId: op.carrier_id },
    });
    // A reservation whose charge nobody can tell is either charged or lapses at the carrier: it is
    // not released (that could undo a charge that happened), and the trail says so.
    if (op.operation === 'charge_reservation')
      await tx.audit.record({
        paymentId: payment.id,
        merchantId: payment.merchant_id,
        actor: ACTOR,
        event: 'reservation_left_to_lapse',
        detail: { operationId: op.id, reason: 'charge outcome unknown' },
      });
  });
  return giveUp ? 'manual_review' : 'open';
}
