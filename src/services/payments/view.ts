import { API_PATHS } from '../api-paths.js';
import { camaraStatus } from '../../domain/payment-state.js';
import { refusalError } from './errors.js';
import type { PaymentRecord } from '../../ports/store/payments.js';

/** A payment as CAMARA shows it (Payment / BodyAmountReservationTransactionForReserve). */
export function paymentView(p: PaymentRecord) {
  const request = p.request as { paymentAmount?: unknown; clientCorrelator?: string };
  return {
    paymentId: p.id,
    amountTransaction: {
      phoneNumber: p.phone_number,
      ...(p.client_correlator !== null ? { clientCorrelator: p.client_correlator } : {}),
      paymentAmount: request.paymentAmount,
      referenceCode: p.reference_code,
      resourceURL: paymentPath(p.id),
      serverReferenceCode: p.id,
    },
    paymentStatus: camaraStatus(p.status),
    paymentCreationDate: p.created_at.toISOString(),
    ...(p.payment_date ? { paymentDate: p.payment_date.toISOString() } : {}),
    ...(p.sink ? { sink: p.sink } : {}),
  };
}

export type PaymentView = ReturnType<typeof paymentView>;

/** Where a payment lives: CAMARA's `resourceURL`, the same as the Location header. */
export function paymentPath(paymentId: string): string {
  return `${API_PATHS.carrierBilling}/payments/${paymentId}`;
}

/** A payment as the merchant who created it may see it; a refused one is the refusal again. */
export function visibleView(p: PaymentRecord): PaymentView {
  if (p.status === 'rejected') throw refusalError(p.denial_reason);
  return paymentView(p);
}
