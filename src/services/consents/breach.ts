import { consentCapBreach } from '../../domain/consent.js';
import { errors, type ApiError } from '../../domain/errors.js';
import { periodStarts } from '../../domain/spending-limits.js';
import type { StoreTransaction } from '../../ports/store/store.js';

/**
 * Why a payment does not fit the consent it is made under: the consent is no longer in force (a
 * STOP reply, the merchant, its expiry), the number is not its own, or a cap. Called in the
 * payment's transaction after the spending limits took the number's lock, so two charges at once
 * cannot pass a cap together; `paymentId` is left out of the month's sum (a payment checked again
 * at its confirmation is already in it).
 */
export async function consentBreach(
  tx: StoreTransaction,
  consentId: string,
  charge: { phoneNumber: string; amountMinor: bigint; paymentId?: string },
  now: Date,
): Promise<ApiError | undefined> {
  const consent = await tx.consents.find(consentId);
  if (
    consent?.status !== 'active' ||
    consent.phone_number !== charge.phoneNumber ||
    (consent.expires_at !== null && consent.expires_at <= now)
  )
    return errors.paymentDenied('The phone user has no consent in force for this merchant.');
  const terms = {
    currency: consent.currency,
    maxPerChargeMinor: consent.max_per_charge_minor,
    maxPerMonthMinor: consent.max_per_month_minor,
    expiresAt: consent.expires_at,
  };
  const charged = await tx.consents.chargedSince(consent.id, periodStarts(now).month, charge.paymentId);
  return consentCapBreach(charge.amountMinor, terms, charged);
}
