import { openAgreement } from '../agreements/code.js';
import { capsInWords } from '../../domain/consent.js';
import { errors } from '../../domain/errors.js';
import { toMinorUnits } from '../../domain/money.js';
import { requireRealPhoneNumber } from '../../domain/phone.js';
import { consentAgreementText } from '../../domain/sms-texts.js';
import type { Context, MerchantPrincipal } from '../context.js';
import { servingCarrier } from '../payments/intake.js';
import { numberBlocked } from '../phone-users/controls.js';
import { consentView } from './view.js';

export interface ConsentRequest {
  phoneNumber: string;
  description: string;
  maxAmountPerCharge: { amount: number; currency: string };
  maxAmountPerMonth?: { amount: number; currency: string };
  expiresAt?: Date;
  sink?: string;
  sinkCredential?: unknown;
}

/**
 * Asks a phone user for a standing consent (CONTRACTS §6): checked against the spending limits
 * (a cap above them would promise what no charge could do), written pending, and the SMS code
 * sent with the merchant, the purpose and the caps. Refused requests write and text nothing.
 */
export async function createConsent(ctx: Context, merchant: MerchantPrincipal, input: ConsentRequest) {
  const phoneNumber = requireRealPhoneNumber(input.phoneNumber);
  const { currency } = input.maxAmountPerCharge;
  if (
    !ctx.config.currencies.includes(currency) ||
    (input.maxAmountPerMonth && input.maxAmountPerMonth.currency !== currency)
  )
    throw errors.invalidArgument('Currency is unknown or not authorized.');
  const perCharge = toMinorUnits(input.maxAmountPerCharge.amount, currency);
  const perMonth = input.maxAmountPerMonth ? toMinorUnits(input.maxAmountPerMonth.amount, currency) : null;
  const carrier = await servingCarrier(ctx, phoneNumber);
  if (await numberBlocked(ctx, phoneNumber))
    throw errors.paymentDenied('The phone user has blocked carrier billing on this number.');
  const maxPayment = BigInt(merchant.limits.maxPaymentMinor ?? ctx.config.limits.maxPaymentMinor);
  if (perCharge > maxPayment)
    throw errors.invalidArgument(`maxAmountPerCharge is above the limit per payment (${maxPayment} minor units).`);
  if (perMonth !== null && (perMonth < perCharge || perMonth > BigInt(carrier.config.monthlyLimitMinor)))
    throw errors.invalidArgument(
      "maxAmountPerMonth must be between maxAmountPerCharge and the number's monthly limit.",
    );
  const now = ctx.clock.now();
  if (input.expiresAt && input.expiresAt <= now) throw errors.invalidArgument('expiresAt must be in the future.');

  const terms = {
    currency,
    maxPerChargeMinor: perCharge,
    maxPerMonthMinor: perMonth,
    expiresAt: input.expiresAt ?? null,
  };
  const consent = await openAgreement(
    ctx,
    'consent',
    merchant,
    { phoneNumber, carrierId: carrier.config.id, sink: input.sink, sinkCredential: input.sinkCredential },
    (opening) =>
      ctx.store.consents.insert({
        ...opening,
        merchant_id: merchant.id,
        phone_number: phoneNumber,
        carrier_id: carrier.config.id,
        description: input.description,
        currency,
        max_per_charge_minor: perCharge,
        max_per_month_minor: perMonth,
        expires_at: terms.expiresAt,
      }),
    (code, validMinutes) =>
      consentAgreementText({
        merchantName: merchant.name,
        description: input.description,
        caps: capsInWords(terms),
        code,
        validMinutes,
      }),
  );
  return consentView(consent, now);
}
