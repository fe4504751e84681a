import { ApiError, errors } from '../../domain/errors.js';
import type { PaymentRecord } from '../../ports/store/payments.js';
import type { Store, StoreTransaction } from '../../ports/store/store.js';

/** A merchant's own, visible payment, locked for the transaction; anything else is CAMARA's 404. */
export async function lockOwnPayment(
  tx: StoreTransaction,
  paymentId: string,
  merchantId: string,
  phoneNumber?: string,
): Promise<PaymentRecord> {
  const payment = await tx.payments.lockOfMerchant(paymentId, merchantId);
  if (!payment || !isVisible(payment) || (phoneNumber !== undefined && payment.phone_number !== phoneNumber))
    throw errors.notFound();
  return payment;
}

/** A merchant's own, visible payment, unlocked; anything else is CAMARA's 404. */
export async function findOwnPayment(store: Store, paymentId: string, merchantId: string): Promise<PaymentRecord> {
  const payment = await store.payments.find(paymentId);
  if (!payment || payment.merchant_id !== merchantId || !isVisible(payment)) throw errors.notFound();
  return payment;
}

export function isVisible(payment: PaymentRecord): boolean {
  return payment.status !== 'reserving' && payment.status !== 'rejected';
}

type SecondStep = 'validate' | 'confirm' | 'cancel' | 'resend';

const ENDED_AS: Readonly<Record<string, string>> = {
  charging: 'Payment has been confirmed.',
  manual_review: 'Payment has been confirmed.',
  succeeded: 'Payment has been confirmed.',
  cancelled: 'Payment has been cancelled.',
  denied: 'Payment has been denied.',
  reserved: 'Payment already validated.',
};

/**
 * CAMARA's answer when a second step meets a payment that has moved on. Each operation answers
 * only with the codes its own responses list in the specification.
 */
export function movedOnError(payment: PaymentRecord, step: SecondStep): ApiError {
  const message = ENDED_AS[payment.status] ?? `Payment is ${payment.status}.`;
  if (step === 'validate' || step === 'resend') {
    return payment.status === 'denied' ? errors.validationFailed(message) : errors.alreadyExists(message);
  }
  switch (payment.status) {
    case 'charging':
    case 'manual_review':
    case 'succeeded':
      return errors.paymentConfirmed();
    case 'cancelled':
      return errors.paymentCancelled();
    case 'denied':
      return step === 'confirm' ? errors.paymentDenied(message) : errors.alreadyExists(message);
    default:
      return errors.alreadyExists(message);
  }
}
