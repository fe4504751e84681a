import type { PaymentStatus } from '../../domain/payment-state.js';
import { missing } from '../../ports/store/missing-row.js';
import type { EndingEvent, PaymentRecord } from '../../ports/store/payments.js';
import type { StoreTransaction } from '../../ports/store/store.js';
import { randomId } from '../keys.js';
import { CARRIER_UNAVAILABLE } from './errors.js';

/** What lapses, and how it ends (CAMARA: an unvalidated payment is denied, an unconfirmed one cancelled). */
const LAPSES: ReadonlyArray<{ status: PaymentStatus; event: EndingEvent; denialReason?: string }> = [
  // A prepare still reserving after twice its call budget was left by a dead process.
  { status: 'reserving', event: 'reservation_declined', denialReason: CARRIER_UNAVAILABLE },
  { status: 'pending_validation', event: 'validation_expired', denialReason: 'validation_expired' },
  { status: 'reserved', event: 'reservation_expired' },
  // Held for a risk review nobody decided in time: refused, the reservation given back.
  { status: 'held', event: 'review_lapsed', denialReason: 'review_lapsed' },
];

export const LAPSING_STATES: readonly PaymentStatus[] = LAPSES.map((l) => l.status);

/**
 * Ends a payment whose deadline passed, in the caller's transaction (it holds the payment's lock),
 * recording the release of its reservation; `releaseId` is for carrying it out after commit.
 */
export async function endLapsed(
  tx: StoreTransaction,
  payment: PaymentRecord,
  actor: string,
  now: Date,
): Promise<{ payment: PaymentRecord; releaseId: string } | undefined> {
  const lapse = LAPSES.find((l) => l.status === payment.status);
  if (!lapse) return undefined;
  const releaseId = randomId('op_');
  // An asynchronous merchant holds the id of a payment still reserving: it ends visibly denied.
  const event =
    lapse.event === 'reservation_declined' && payment.completes_async ? 'async_reservation_declined' : lapse.event;
  const ending = {
    event,
    denialReason: lapse.denialReason,
    releaseOperationId: releaseId,
    // A prepare left reserving never recorded the carrier's answer: there may be a reservation.
    reservationUnanswered: payment.status === 'reserving',
  };
  const audit = { actor, event, fromStatus: payment.status };
  const ended = (await tx.payments.end(payment.id, ending, now, audit)) ?? missing('payments', payment.id);
  return { payment: ended, releaseId };
}
