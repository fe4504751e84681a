/**
 * The payment state machine as one table. Internal states are richer than CAMARA's
 * `paymentStatus`; `camaraStatus` maps them.
 */
export type PaymentStatus =
  | 'reserving' // intent written, reserveAmount in flight; the merchant has no id yet (unless asynchronous)
  | 'rejected' // refused before a payment id was given out (CAMARA: "paymentId is not created")
  | 'pending_validation'
  // Reserved at the carrier, no code sent: the risk rules asked an operator to approve or decline.
  | 'held'
  | 'reserved'
  | 'charging' // intent written, the charge is in flight or its outcome is unknown
  | 'manual_review' // recovery could not learn the charge's outcome; the monthly statement will
  | 'succeeded'
  | 'cancelled'
  | 'denied';

export type PaymentEvent =
  | 'reservation_succeeded'
  | 'reservation_declined'
  // The merchant already holds the id (asynchronous mode): the refusal is a visible `denied`.
  | 'async_reservation_declined'
  // Reserved under the phone user's standing consent: no code to ask.
  | 'reservation_consented'
  // Reserved, and held for an operator's review (the risk rules said `review`).
  | 'reservation_held'
  | 'review_approved'
  | 'review_declined'
  | 'review_lapsed'
  | 'code_validated'
  | 'validation_failed'
  | 'validation_expired'
  | 'confirm_requested'
  | 'charge_succeeded'
  | 'charge_declined'
  | 'one_step_declined'
  | 'cancel_requested'
  | 'reservation_expired'
  | 'review_needed'
  | 'limit_exceeded'
  | 'late_charge_found';

export type CamaraStatus = 'processing' | 'pending_validation' | 'denied' | 'reserved' | 'succeeded' | 'cancelled';

const TRANSITIONS: Readonly<Record<PaymentStatus, Partial<Record<PaymentEvent, PaymentStatus>>>> = {
  reserving: {
    reservation_succeeded: 'pending_validation',
    reservation_declined: 'rejected',
    async_reservation_declined: 'denied',
    reservation_consented: 'reserved',
    reservation_held: 'held',
  },
  held: {
    review_approved: 'pending_validation',
    review_declined: 'denied',
    review_lapsed: 'denied',
    cancel_requested: 'cancelled',
  },
  pending_validation: {
    code_validated: 'reserved',
    validation_failed: 'denied',
    validation_expired: 'denied',
    cancel_requested: 'cancelled',
  },
  reserved: {
    confirm_requested: 'charging',
    cancel_requested: 'cancelled',
    reservation_expired: 'cancelled',
    limit_exceeded: 'denied',
  },
  charging: {
    charge_succeeded: 'succeeded',
    charge_declined: 'denied',
    one_step_declined: 'rejected',
    review_needed: 'manual_review',
  },
  manual_review: { charge_succeeded: 'succeeded', charge_declined: 'denied' },
  rejected: {},
  succeeded: {},
  cancelled: {},
  // A charge the carrier applied after the payment was already ended denied: for people to settle.
  denied: { late_charge_found: 'manual_review' },
};

export const PAYMENT_STATUSES = Object.keys(TRANSITIONS) as PaymentStatus[];

/** The state an event leads to, or undefined when the table forbids it. */
export function nextStatus(from: PaymentStatus, event: PaymentEvent): PaymentStatus | undefined {
  return TRANSITIONS[from][event];
}

/** Every state from which `event` is allowed: what a conditional UPDATE may match. */
export function statusesAllowing(event: PaymentEvent): PaymentStatus[] {
  return PAYMENT_STATUSES.filter((status) => TRANSITIONS[status][event] !== undefined);
}

export function camaraStatus(status: PaymentStatus): CamaraStatus {
  switch (status) {
    case 'reserving':
    case 'held':
    case 'charging':
    case 'manual_review':
    case 'rejected':
      return 'processing';
    case 'pending_validation':
    case 'reserved':
    case 'succeeded':
    case 'cancelled':
    case 'denied':
      return status;
  }
}

/** CAMARA statuses a merchant may filter by, mapped back to the internal states they cover. */
export function internalStatusesFor(status: CamaraStatus): PaymentStatus[] {
  return status === 'processing' ? ['reserving', 'held', 'charging', 'manual_review'] : [status];
}
