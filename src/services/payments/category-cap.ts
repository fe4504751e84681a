import { errors, type ApiError } from '../../domain/errors.js';
import { periodStarts } from '../../domain/spending-limits.js';
import type { StoreTransaction } from '../../ports/store/store.js';
import type { Context, MerchantPrincipal } from '../context.js';

/**
 * A merchant category's monthly cap per phone number (CONTRACTS §8; gift certificates, 300,000
 * KRW by default): what the number spent this month at every merchant of the category, with this
 * payment, may not pass it. Called in the payment's transaction after the spending limits took the
 * number's lock; `paymentId` leaves a payment checked again at its confirmation out of the sum.
 */
export async function categoryCapBreach(
  ctx: Context,
  tx: StoreTransaction,
  merchant: Pick<MerchantPrincipal, 'category'>,
  charge: { phoneNumber: string; amountMinor: bigint; paymentId?: string },
  now: Date,
): Promise<ApiError | undefined> {
  const cap = ctx.config.limits.categoryMonthlyCapsMinor[merchant.category];
  if (cap === undefined) return undefined;
  const spent = await tx.payments.categorySpent(
    charge.phoneNumber,
    merchant.category,
    periodStarts(now).month,
    charge.paymentId,
  );
  return spent + charge.amountMinor > BigInt(cap) ? errors.amountThresholdOverpassed() : undefined;
}
