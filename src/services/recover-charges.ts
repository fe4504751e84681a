import { appendAudit } from '../store/audit-repo.js';
import { JOB_LOCKS, tryJobLock } from '../store/job-lock.js';
import { findMerchant } from '../store/merchants-repo.js';
import { claimChargesToRecover, recordOutcome, type OperationRow } from '../store/operations-repo.js';
import { applyEvent, findPayment, type PaymentRow } from '../store/payments-repo.js';
import type { CarrierOutcome } from '../ports/carrier.js';
import { callWithRetries, retryBudgetMs } from './carrier-calls.js';
import type { RoutedCarrier } from './carrier-directory.js';
import type { Context } from './context.js';
import { recoverRefunds } from './recover-refunds.js';
import { settleCharge } from './settle-charge.js';

const ACTOR = 'job:recovery';
const BATCH = 100;

export interface RecoveryRun {
  examined: number;
  settled: number;
  manualReview: number;
  refundsExamined: number;
}

/**
 * Finds every charge whose outcome the gateway does not know — the carrier timed out, or a
 * process died between writing the intent and the outcome — and asks the carrier what happened:
 * by status query where it has one, by re-sending the same reference where it recognises
 * references. Known outcomes settle the payment (late gift certificate, or denied and released);
 * after `maxAttempts` tries an unknowable charge goes to manual review, for the monthly statement.
 */
export async function recoverCharges(ctx: Context): Promise<RecoveryRun> {
  const now = ctx.clock.now();
  const { recovery } = ctx.config;
  // A pending charge younger than its own call budget may still be in flight in a live process.
  const longestCharge = Math.max(0, ...ctx.carriers.all().map((c) => retryBudgetMs(c.config.retry, Math.max(c.config.timeoutsMs.chargeAmount, c.config.timeoutsMs.chargeReservation, c.config.timeoutsMs.refundAmount))));
  const pendingBefore = new Date(now.getTime() - Math.max(recovery.pendingGraceSeconds * 1000, longestCharge + 5_000));
  const claimed = await ctx.db.transaction(async (tx) =>
    (await tryJobLock(tx, JOB_LOCKS.recovery)) ? claimChargesToRecover(tx, now, pendingBefore, new Date(now.getTime() + recovery.retryAfterSeconds * 1000), BATCH) : [],
  );

  const run: RecoveryRun = { examined: claimed.length, settled: 0, manualReview: 0, refundsExamined: 0 };
  for (const op of claimed) {
    const result = await resolveCharge(ctx, op);
    if (result === 'settled') run.settled += 1;
    if (result === 'manual_review') run.manualReview += 1;
  }
  run.refundsExamined = await recoverRefunds(ctx, pendingBefore);
  return run;
}

async function resolveCharge(ctx: Context, op: OperationRow): Promise<'settled' | 'manual_review' | 'open' | 'skipped'> {
  const payment = await findPayment(ctx.db, op.payment_id);
  if (!payment || payment.status !== 'charging') return 'skipped';
  const carrier = ctx.carriers.get(op.carrier_id);
  const answer = carrier ? await askCarrier(carrier, op, payment) : undefined;

  if (answer && (answer.outcome.kind === 'succeeded' || answer.outcome.kind === 'declined')) {
    const merchant = await findMerchant(ctx.db, payment.merchant_id);
    await settleCharge(ctx, payment, op.id, answer, merchant?.name ?? '', ACTOR, true);
    return 'settled';
  }

  const now = ctx.clock.now();
  const giveUp = op.recovery_attempts >= ctx.config.recovery.maxAttempts;
  await ctx.db.transaction(async (tx) => {
    await recordOutcome(tx, op.id, { kind: 'unknown', detail: answer ? `recovery: ${answer.outcome.kind}` : 'recovery: carrier cannot tell' }, answer?.tries ?? 0, now);
    if (!giveUp) return;
    await applyEvent(tx, payment.id, 'review_needed', {}, now);
    await appendAudit(tx, {
      paymentId: payment.id, merchantId: payment.merchant_id, actor: ACTOR, event: 'manual_review', fromStatus: 'charging', toStatus: 'manual_review',
      detail: { operationId: op.id, attempts: op.recovery_attempts, carrierId: op.carrier_id },
    });
  });
  return giveUp ? 'manual_review' : 'open';
}

/** The carrier's word on a charge reference, or undefined when this carrier cannot tell. */
async function askCarrier(carrier: RoutedCarrier, op: OperationRow, payment: PaymentRow): Promise<{ outcome: CarrierOutcome<unknown>; tries: number } | undefined> {
  const { capabilities } = carrier.config;
  if (capabilities.statusQuery && carrier.adapter.queryTransaction) {
    const status = await carrier.adapter.queryTransaction({ reference: op.id, phoneNumber: payment.phone_number, kind: 'charge' });
    if (status === 'applied') return { outcome: { kind: 'succeeded', value: undefined }, tries: 1 };
    if (status === 'not_applied') return { outcome: { kind: 'declined', reason: 'other', carrierCode: 'not charged (status query)' }, tries: 1 };
    return { outcome: { kind: 'unknown', detail: 'status query unanswered' }, tries: 1 };
  }
  if (capabilities.idempotentReferences) {
    // The carrier recognises the reference: sending the same charge again cannot charge twice.
    const request = { phoneNumber: payment.phone_number, amountMinor: payment.amount_minor, currency: payment.currency, description: payment.description, reference: op.id };
    return callWithRetries(carrier.config.retry, () =>
      op.operation === 'charge_reservation'
        ? carrier.adapter.chargeReservation({ ...request, reservationId: payment.reservation_id ?? '' })
        : carrier.adapter.chargeAmount(request),
    );
  }
  return undefined;
}
