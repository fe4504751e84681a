import type { PaymentRecord } from '../../ports/store/payments.js';

/**
 * The stable reference a payment's reservation is asked for under (OneAPI clientCorrelator): the
 * payment's id, written with the payment before the carrier is asked, so a reservation whose
 * answer was lost can still be found and released by it.
 */
export function reservationReferenceOf(payment: Pick<PaymentRecord, 'id'>): string {
  return payment.id;
}
