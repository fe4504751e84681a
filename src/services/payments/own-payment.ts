import { ApiError, errors } from '../../domain/errors.js';
import type { PaymentRecord } from '../../ports/store/payments.js';
import type { Store, StoreTransaction } from '../../ports/store/store.js';
import type { MerchantPrincipal } from '../context.js';

/** Whose payments a request may see: its merchant's, and only its phone user's under a three-legged token. */
export type PaymentOwner = Pick<MerchantPrincipal, 'id' | 'phoneUser'>;

/**
 * A merchant's own, visible payment, locked for the transaction (of `phoneNumber` when the request
 * named one, and of the phone user's under a three-legged token); anything else is CAMARA's 404.
 */
export async function lockOwnPayment(
  tx: StoreTransaction,
  paymentId: string,
  owner: PaymentOwner,
  phoneNumber?: string,
): Promise<PaymentRecord> {
  const payment = await tx.payments.lockOfMerchant(paymentId, owner.id);
  if (!payment || !ownedBy(payment, owner) || (phoneNumber !== undefined && payment.phone_number !== phoneNumber))
    throw errors.notFound();
  return payment;
}

/** A merchant's own, visible payment, unlocked; anything else is CAMARA's 404. */
export async function findOwnPayment(store: Store, paymentId: string, owner: PaymentOwner): Promise<PaymentRecord> {
  const payment = await store.payments.find(paymentId);
  if (!payment || !ownedBy(payment, owner)) throw errors.notFound();
  return payment;
}

/** Visible to this owner: its merchant's, of its phone user if any, and not a refused or unfinished prepare. */
export function ownedBy(payment: PaymentRecord, owner: PaymentOwner): boolean {
  return (
    payment.merchant_id === owner.id &&
    (owner.phoneUser === undefined || payment.phone_number === owner.phoneUser.phoneNumber) &&
    isVisible(payment)
  );
}

/** Whether the merchant was given the payment's id: never a refused prepare, and one still reserving only if asynchronous. */
export function isVisible(payment: PaymentRecord): boolean {
  return payment.status !== 'rejected' && (payment.status !== 'reserving' || payment.completes_async);
}

type SecondStep = 'validate' | 'confirm' | 'cancel' | 'resend';

const ENDED_AS: Readonly<Record<string, string>> = {
  charging: 'Payment has been confirmed.',
  manual_review: 'Payment has been confirmed.',
  succeeded: 'Payment has been confirmed.',
  cancelled: 'Payment has been cancelled.',
  denied: 'Payment has been denied.',
  reserved: 'Payment already validated.',
  held: 'Payment is held for review; the code is sent once it is approved.',
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
