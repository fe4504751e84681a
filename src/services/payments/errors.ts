import type { CarrierOutcome, DeclineReason } from '../../ports/carrier.js';
import { ApiError, errors } from '../../domain/errors.js';

/** What the merchant is told when the carrier refused, with a plain reason. */
const DECLINE_MESSAGES: Readonly<Record<DeclineReason, string>> = {
  insufficient_funds: 'Payment denied by business: the subscriber has insufficient credit.',
  limit_exceeded: 'Unauthorized payment request. Accumulated user mobile payments overpass account amount threshold.',
  barred: 'Payment denied by business: the subscriber is barred from carrier billing.',
  invalid_subscriber: 'Payment denied by business: the subscriber cannot be billed.',
  not_supported: 'Payment denied by business: the operation is not supported for this subscriber.',
  invalid_input: 'Payment denied by business: the carrier refused the request.',
  other: 'Payment denied by business.',
};

/** `denial_reason` values that are not carrier declines. */
export const CARRIER_UNAVAILABLE = 'carrier_unavailable';

/** Why an operation the carrier did not carry out ended: its decline, or no usable answer. */
export function denialReasonOf(outcome: Exclude<CarrierOutcome<unknown>, { kind: 'succeeded' }>): string {
  return outcome.kind === 'declined' ? outcome.reason : CARRIER_UNAVAILABLE;
}

/**
 * The answer to the request during which a payment was refused. CAMARA has its own code for a
 * period limit (422 USER_AMOUNT_THRESHOLD_OVERPASSED); every other decline is 403 PAYMENT_DENIED.
 */
export function refusalError(reason: string | null): ApiError {
  if (reason === CARRIER_UNAVAILABLE)
    return errors.unavailable('The carrier could not be reached; nothing was charged. Try again later.');
  if (reason === 'limit_exceeded') return errors.amountThresholdOverpassed();
  return errors.paymentDenied(
    (DECLINE_MESSAGES as Readonly<Record<string, string | undefined>>)[reason ?? 'other'] ?? DECLINE_MESSAGES.other,
  );
}
