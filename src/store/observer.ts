import type { PaymentRecord } from '../ports/store/payments.js';

/** Told of what the store did, once it is committed (the composition root counts it in metrics). */
export interface StoreObserver {
  /** A payment entered a new state. */
  paymentChanged(payment: PaymentRecord): void;
}

export const unobserved: StoreObserver = { paymentChanged: () => undefined };
