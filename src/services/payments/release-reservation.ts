import type { PaymentRecord } from '../../ports/store/payments.js';
import { callWithRetries } from '../carriers/calls.js';
import type { Context } from '../context.js';

/**
 * Gives an ended payment's reservation back to the carrier, after the commit that ended it and
 * recorded the release under `operationId` (PaymentStore.end). A release left undone by a crash
 * or an unreachable carrier is picked up again by the expiry job.
 */
export async function carryOutRelease(
  ctx: Context,
  payment: Pick<PaymentRecord, 'id' | 'merchant_id' | 'carrier_id' | 'reservation_id' | 'phone_number'>,
  operationId: string,
  actor: string,
): Promise<void> {
  const carrier = ctx.carriers.get(payment.carrier_id);
  if (!payment.reservation_id || !carrier) return;
  const reservationId = payment.reservation_id;
  const { outcome, tries } = await callWithRetries(carrier.config.retry, () =>
    carrier.adapter.releaseReservation({ reservationId, phoneNumber: payment.phone_number }),
  );
  await ctx.store.operations.recordReleaseOutcome(
    { id: operationId, paymentId: payment.id, merchantId: payment.merchant_id },
    outcome,
    tries,
    ctx.clock.now(),
    {
      actor,
      event: outcome.kind === 'succeeded' ? 'reservation_released' : 'reservation_release_failed',
      detail: { outcome: outcome.kind, ...(outcome.kind === 'declined' ? { carrierCode: outcome.carrierCode } : {}) },
    },
  );
}
