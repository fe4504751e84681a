import { appendAudit } from '../store/audit-repo.js';
import type { Queryable } from '../store/database.js';
import { recordIntent, recordOutcome } from '../store/operations-repo.js';
import type { PaymentRow } from '../store/payments-repo.js';
import { callWithRetries } from './carrier-calls.js';
import type { Context } from './context.js';
import { randomId } from './keys.js';

/**
 * Records, in the transaction that ends the payment, that its reservation must be released.
 * The release itself happens after commit (`carryOutRelease`); one left undone by a crash or an
 * unreachable carrier is picked up again by the expiry job.
 */
export async function recordRelease(tx: Queryable, payment: PaymentRow): Promise<string | undefined> {
  if (!payment.reservation_id) return undefined;
  const op = await recordIntent(tx, {
    id: randomId('op_'),
    payment_id: payment.id,
    carrier_id: payment.carrier_id,
    operation: 'release',
    amount_minor: payment.amount_minor,
    currency: payment.currency,
  });
  return op.id;
}

export async function carryOutRelease(
  ctx: Context,
  payment: Pick<PaymentRow, 'id' | 'merchant_id' | 'carrier_id' | 'reservation_id' | 'phone_number'>,
  operationId: string | undefined,
  actor: string,
): Promise<void> {
  const carrier = ctx.carriers.get(payment.carrier_id);
  if (!operationId || !payment.reservation_id || !carrier) return;
  const reservationId = payment.reservation_id;
  const { outcome, tries } = await callWithRetries(carrier.config.retry, () =>
    carrier.adapter.releaseReservation({ reservationId, phoneNumber: payment.phone_number }),
  );
  await ctx.db.transaction(async (tx) => {
    await recordOutcome(tx, operationId, outcome, tries, ctx.clock.now());
    await appendAudit(tx, {
      paymentId: payment.id,
      merchantId: payment.merchant_id,
      actor,
      event: outcome.kind === 'succeeded' ? 'reservation_released' : 'reservation_release_failed',
      detail: { outcome: outcome.kind, ...(outcome.kind === 'declined' ? { carrierCode: outcome.carrierCode } : {}) },
    });
  });
}
