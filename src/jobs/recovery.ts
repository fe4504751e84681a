import type { JobName } from '../ports/store/jobs.js';
import type { OperationRecord } from '../ports/store/carrier-operations.js';
import type { Context } from '../services/context.js';
import { resolveCharge } from '../services/recovery/resolve-charge.js';
import { resolveRefund } from '../services/recovery/resolve-refund.js';
import { RECOVERY_BATCH, recoveryWindows } from '../services/recovery/windows.js';

export interface RecoveryRun {
  examined: number;
  settled: number;
  manualReview: number;
  refundsExamined: number;
}

/**
 * Claims every charge, then every refund, whose outcome the gateway does not know, and has each
 * resolved (services/recovery). Each claim is leased, so another instance or the next run does not
 * take it meanwhile; one that fails is tried again when its lease lapses.
 */
export async function recoverUnknownOutcomes(ctx: Context): Promise<RecoveryRun> {
  const run: RecoveryRun = { examined: 0, settled: 0, manualReview: 0, refundsExamined: 0 };
  const charges = await claim(ctx, 'recovery', 'charge');
  run.examined = charges.length;
  await whileLeased(ctx, charges, async (op) => {
    const result = await resolveCharge(ctx, op);
    if (result === 'settled') run.settled += 1;
    if (result === 'manual_review') run.manualReview += 1;
  });
  const refunds = await claim(ctx, 'refund-recovery', 'refund');
  run.refundsExamined = refunds.length;
  await whileLeased(ctx, refunds, (op) => resolveRefund(ctx, op));
  return run;
}

/**
 * Resolves claimed operations one by one, renewing the leases of those not done yet every third
 * of a lease, so that no other instance takes them while this one lives, and every one of them
 * lapses within a lease if it dies.
 */
export async function whileLeased(
  ctx: Context,
  claimed: OperationRecord[],
  resolve: (op: OperationRecord) => Promise<unknown>,
): Promise<void> {
  const { leaseSeconds } = recoveryWindows(ctx);
  const waiting = new Set(claimed.map((op) => op.id));
  const renew = setInterval(
    () => {
      if (waiting.size === 0) return;
      ctx.store.operations
        .renewRecoveryLeases([...waiting], leaseSeconds)
        .catch((error: unknown) => ctx.log.warn({ err: error }, 'could not renew recovery leases'));
    },
    (leaseSeconds * 1000) / 3,
  );
  try {
    for (const op of claimed) {
      try {
        await resolve(op);
      } catch (error) {
        ctx.log.error({ operationId: op.id, err: error }, `recovery of a ${op.operation} failed`);
      } finally {
        waiting.delete(op.id);
      }
    }
  } finally {
    clearInterval(renew);
  }
}

async function claim(ctx: Context, job: JobName, kind: 'charge' | 'refund'): Promise<OperationRecord[]> {
  const { graceSeconds, leaseSeconds } = recoveryWindows(ctx);
  return ctx.store.transaction(async (tx) =>
    (await tx.jobs.tryLock(job)) ? tx.operations.claimToRecover(kind, graceSeconds, leaseSeconds, RECOVERY_BATCH) : [],
  );
}
