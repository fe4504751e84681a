import { errors, type ApiError } from './errors.js';
import { formatForPeople } from './money.js';

/** A consent's status as merchants see it; `expired` is an active one past its `expiresAt`. */
export type ConsentStatus = 'pending_validation' | 'active' | 'revoked' | 'expired' | 'denied';

export interface ConsentTerms {
  currency: string;
  maxPerChargeMinor: bigint;
  /** null: no monthly cap beyond the spending limits. */
  maxPerMonthMinor: bigint | null;
  expiresAt: Date | null;
}

export function consentStatus(
  stored: Exclude<ConsentStatus, 'expired'>,
  expiresAt: Date | null,
  now: Date,
): ConsentStatus {
  return stored === 'active' && expiresAt !== null && expiresAt <= now ? 'expired' : stored;
}

/**
 * Why a charge does not fit a consent (CONTRACTS §6: over a cap is `403 PAYMENT_DENIED`), or
 * undefined when it does: the charge's own amount against the per-charge cap, and with what the
 * consent has already carried this month against the monthly one.
 */
export function consentCapBreach(
  amountMinor: bigint,
  terms: ConsentTerms,
  chargedThisMonthMinor: bigint,
): ApiError | undefined {
  if (amountMinor > terms.maxPerChargeMinor)
    return errors.paymentDenied("The amount is over the phone user's consent per charge.");
  if (terms.maxPerMonthMinor !== null && chargedThisMonthMinor + amountMinor > terms.maxPerMonthMinor)
    return errors.paymentDenied("The amount is over what the phone user's consent allows this month.");
  return undefined;
}

/** The consent's caps in words, for its SMS and pages. */
export function capsInWords(terms: ConsentTerms): string {
  const perCharge = `up to ${formatForPeople(terms.maxPerChargeMinor, terms.currency)} a charge`;
  return terms.maxPerMonthMinor === null
    ? perCharge
    : `${perCharge} and ${formatForPeople(terms.maxPerMonthMinor, terms.currency)} a month`;
}
