import { ApiError, errors } from '../domain/errors.js';
import type { Queryable } from '../store/database.js';
import { lockMerchantPayment, type PaymentRow } from '../store/payments-repo.js';
import { denialError } from './payment-errors.js';

/** A merchant's own, visible payment, locked for the transaction; anything else is CAMARA's 404. */
export async function lockOwnPayment(tx: Queryable, paymentId: string, merchantId: string, phoneNumber?: string): Promise<PaymentRow> {
  const payment = await lockMerchantPayment(tx, paymentId, merchantId);
  if (!payment || !isVisible(payment) || (phoneNumber !== undefined && payment.phone_number !== phoneNumber)) throw errors.notFound();
  return payment;
}

export function isVisible(payment: PaymentRow): boolean {
  return payment.status !== 'reserving' && payment.status !== 'rejected';
}

/** CAMARA's answer when an operation meets a payment that has already moved on. */
export function finishedPaymentError(payment: PaymentRow): ApiError {
  switch (payment.status) {
    case 'charging':
    case 'succeeded':
      return errors.paymentConfirmed();
    case 'cancelled':
      return errors.paymentCancelled();
    case 'denied':
      return denialError(payment.denial_reason);
    default:
      return errors.alreadyExists(`Payment is ${payment.status}.`);
  }
}
