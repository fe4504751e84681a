import type { CarrierOutcome } from '../../ports/carrier.js';
import type { PaymentRecord } from '../../ports/store/payments.js';
import { callWithRetries } from '../carriers/calls.js';
import type { RoutedCarrier } from '../carriers/directory.js';
import type { Context } from '../context.js';
import { reservationReferenceOf } from './reservation-reference.js';

type ReleasedPayment = Pick<PaymentRecord, 'id' | 'merchant_id' | 'carrier_id' | 'reservation_id' | 'phone_number'>;

/**
 * Gives an ended payment's reservation back to the carrier, after the commit that ended it and
 * recorded the release under `operationId` (PaymentStore.end). A release left undone by a crash
 * or an unreachable carrier is picked up again by the expiry job.
 *
 * A payment whose reserve was never answered has no reservation id: the carrier is asked for the
 * reservation made under the payment's reference where it can tell (OneAPI, by clientCorrelator),
 * and that one is released; where it cannot (Parlay X 2.1 has no reference on reserveAmount), the
 * reservation, if there is one, lapses at the carrier, and the audit trail says so.
 */
export async function carryOutRelease(
  ctx: Context,
  payment: ReleasedPayment,
  operationId: string,
  actor: string,
): Promise<void> {
  const carrier = ctx.carriers.get(payment.carrier_id);
  if (!carrier) return;
  const release = payment.reservation_id
    ? await releaseHeld(carrier, payment, payment.reservation_id)
    : await releaseUnanswered(carrier, payment);
  await ctx.store.operations.recordReleaseOutcome(
    { id: operationId, paymentId: payment.id, merchantId: payment.merchant_id },
    release.outcome,
    release.tries,
    ctx.clock.now(),
    {
      actor,
      event:
        release.event ?? (release.outcome.kind === 'succeeded' ? 'reservation_released' : 'reservation_release_failed'),
      detail: {
        outcome: release.outcome.kind,
        ...(release.outcome.kind === 'declined' ? { carrierCode: release.outcome.carrierCode } : {}),
        ...(release.reservationId && !payment.reservation_id ? { foundByReference: release.reservationId } : {}),
      },
    },
  );
}

interface Release {
  outcome: CarrierOutcome;
  tries: number;
  /** The audit event, when not plain released or failed. */
  event?: string;
  reservationId?: string;
}

async function releaseHeld(carrier: RoutedCarrier, payment: ReleasedPayment, reservationId: string): Promise<Release> {
  const { outcome, tries } = await callWithRetries(carrier.config.retry, () =>
    carrier.adapter.releaseReservation({ reservationId, phoneNumber: payment.phone_number }),
  );
  return { outcome, tries, reservationId };
}

async function releaseUnanswered(carrier: RoutedCarrier, payment: ReleasedPayment): Promise<Release> {
  const find = carrier.config.capabilities.statusQuery
    ? carrier.adapter.findReservation?.bind(carrier.adapter)
    : undefined;
  if (!find) {
    return {
      outcome: { kind: 'declined', reason: 'not_supported', carrierCode: 'no reservation lookup' },
      tries: 0,
      event: 'reservation_left_to_lapse',
    };
  }
  const found = await find({ reference: reservationReferenceOf(payment), phoneNumber: payment.phone_number });
  if (found.kind === 'unknown')
    return { outcome: { kind: 'unknown', detail: 'reservation lookup unanswered' }, tries: 1 };
  if (found.kind === 'none')
    return { outcome: { kind: 'succeeded', value: undefined }, tries: 1, event: 'reservation_not_held' };
  return releaseHeld(carrier, payment, found.reservationId);
}
