import { requireRealPhoneNumber } from '../../domain/phone.js';
import type { ConsentRecord } from '../../ports/store/consents.js';
import type { Context, MerchantPrincipal } from '../context.js';
import type { PaymentRequest } from '../payments/intake.js';
import { subjectNumber } from '../payments/intake.js';

/**
 * The merchant's consent in force for a payment request's number and currency, if any: under it
 * a payment needs no code (CONTRACTS §6). Its caps are checked when the payment is written. A
 * request whose number is missing or wrong has none; admitting it answers why.
 */
export async function consentCovering(
  ctx: Context,
  merchant: MerchantPrincipal,
  body: PaymentRequest,
): Promise<ConsentRecord | undefined> {
  const named = subjectNumber(merchant, body.amountTransaction.phoneNumber);
  if (named === undefined) return undefined;
  let phoneNumber: string;
  try {
    phoneNumber = requireRealPhoneNumber(named);
  } catch {
    return undefined;
  }
  const consent = await ctx.store.consents.activeFor(merchant.id, phoneNumber, ctx.clock.now());
  return consent?.currency === body.amountTransaction.paymentAmount.chargingInformation.currency ? consent : undefined;
}
