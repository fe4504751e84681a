import { appendAudit } from '../store/audit-repo.js';
import { JOB_LOCKS, tryJobLock } from '../store/job-lock.js';
import { findMerchant } from '../store/merchants-repo.js';
import { claimToRecover, recordOutcome, retryRecoveryIn, type OperationRow } from '../store/operations-repo.js';
import { applyEvent, findPayment, lockPayment } from '../store/payments-repo.js';
import { askCarrier } from './ask-carrier.js';
import { retryBudgetMs } from './carrier-calls.js';
import type { Context } from './context.js';
import { recoverRefunds } from './recover-refunds.js';
import { settleCharge } from './settle-charge.js';

const ACTOR = 'job:recovery';
const BATCH = 20;

export interface RecoveryRun {
  examined: number;
  settled: number;
  manualReview: number;
  refundsExamined: number;
}

/** Grace and lease of a recovery claim: longer than any call in flight, and than a whole batch. */
export function recoveryWindows(ctx: Context): { graceSeconds: number; leaseSeconds: number } {
  const longest = Math.max(
    0,
    ...ctx.carriers
      .all()
      .map((c) =>
        retryBudgetMs(
          c.config.retry,
          Math.max(
            c.config.timeoutsMs.chargeAmount,
            c.config.timeoutsMs.chargeReservation,
            c.config.timeoutsMs.refundAmount,
          ),
        ),
      ),
  );
  const { recovery } = ctx.config;
  return {
    graceSeconds: Math.max(recovery.pendingGraceSeconds, Math.ceil(longest / 1000) + 5),
    leaseSeconds: Math.max(recovery.retryAfterSeconds, Math.ceil((longest * BATCH) / 1000)),
  };
}

/**
 * Finds every charge whose outcome the gateway does not know — the carrier timed out, or a
 * process died between writing the intent and the outcome — and asks the carrier what happened.
 * Known outcomes settle the payment (late gift certificate, or denied and released); after
 * `maxAttempts` tries an unknowable charge goes to manual review, for the monthly statement.
 */
export async function recoverCharges(ctx: Context): Promise<RecoveryRun> {
  const { graceSeconds, leaseSeconds } = recoveryWindows(ctx);
  const claimed = await ctx.db.transaction(async (tx) =>
    (await tryJobLock(tx, JOB_LOCKS.recovery)) ? claimToRecover(tx, 'charge', graceSeconds, leaseSeconds, BATCH) : [],
  );
  const run: RecoveryRun = { examined: claimed.length, settled: 0, manualReview: 0, refundsExamined: 0 };
  for (const op of claimed) {
    try {
      const result = await resolveCharge(ctx, op);
      if (result === 'settled') run.settled += 1;
      if (result === 'manual_review') run.manualReview += 1;
    } catch (error) {
      // One operation's failure must not stop the others; its lease lapses and it is tried again.
      ctx.log.error({ operationId: op.id, err: error }, 'recovery of a charge failed');
    }
  }
  run.refundsExamined = await recoverRefunds(ctx, graceSeconds, leaseSeconds);
  return run;
}

async function resolveCharge(
  ctx: Context,
  op: OperationRow,
): Promise<'settled' | 'manual_review' | 'open' | 'skipped'> {
  const payment = await findPayment(ctx.db, op.payment_id);
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
    const merchant = await findMerchant(ctx.db, payment.merchant_id);
    await settleCharge(ctx, payment, op.id, answer, merchant?.name ?? '', ACTOR, true);
    return 'settled';
  }

  const giveUp = op.recovery_attempts >= ctx.config.recovery.maxAttempts;
  await ctx.db.transaction(async (tx) => {
    // The payment before its operation, as every writer of both takes them (see settle-charge.ts).
    await lockPayment(tx, payment.id);
    await recordOutcome(
      tx,
      op.id,
      { kind: 'unknown', detail: answer ? `recovery: ${answer.outcome.kind}` : 'recovery: carrier cannot tell' },
      answer?.tries ?? 0,
      ctx.clock.now(),
    );
    await retryRecoveryIn(tx, op.id, ctx.config.recovery.retryAfterSeconds);
    if (!giveUp || !(await applyEvent(tx, payment.id, 'review_needed', {}, ctx.clock.now()))) return;
    await appendAudit(tx, {
      paymentId: payment.id,
      merchantId: payment.merchant_id,
      actor: ACTOR,
      event: 'manual_review',
      fromStatus: 'charging',
      toStatus: 'manual_review',
      detail: { operationId: op.id, attempts: op.recovery_attempts, carrierId: op.carrier_id },
    });
  });
  return giveUp ? 'manual_review' : 'open';
}
