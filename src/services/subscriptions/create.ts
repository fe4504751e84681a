import { openAgreement } from '../agreements/code.js';
import { errors } from '../../domain/errors.js';
import { formatForPeople, toMinorUnits } from '../../domain/money.js';
import { requireRealPhoneNumber } from '../../domain/phone.js';
import { subscriptionAgreementText } from '../../domain/sms-texts.js';
import type { SubscriptionPeriod } from '../../domain/subscription-periods.js';
import type { Context, MerchantPrincipal } from '../context.js';
import { servingCarrier } from '../payments/intake.js';
import { numberBlocked } from '../phone-users/controls.js';
import { subscriptionView } from './view.js';

export interface SubscriptionRequest {
  phoneNumber: string;
  description: string;
  amount: { amount: number; currency: string };
  period: SubscriptionPeriod;
  sink?: string;
  sinkCredential?: unknown;
}

/**
 * Asks a phone user for a subscription (CONTRACTS §6): an amount within the spending limits, a
 * number a carrier serves and that is not blocked; written pending, and the SMS code sent with
 * the merchant, what, how much and how often. Refused requests write and text nothing.
 */
export async function createSubscription(ctx: Context, merchant: MerchantPrincipal, input: SubscriptionRequest) {
  const phoneNumber = requireRealPhoneNumber(input.phoneNumber);
  const { currency } = input.amount;
  if (!ctx.config.currencies.includes(currency)) throw errors.invalidArgument('Currency is unknown or not authorized.');
  const amountMinor = toMinorUnits(input.amount.amount, currency);
  const carrier = await servingCarrier(ctx, phoneNumber);
  const maxPayment = BigInt(merchant.limits.maxPaymentMinor ?? ctx.config.limits.maxPaymentMinor);
  if (amountMinor > maxPayment || amountMinor > BigInt(carrier.config.monthlyLimitMinor))
    throw errors.invalidArgument('amount is above the spending limits.');
  if (await numberBlocked(ctx, phoneNumber))
    throw errors.paymentDenied('The phone user has blocked carrier billing on this number.');

  const subscription = await openAgreement(
    ctx,
    'subscription',
    merchant,
    { phoneNumber, carrierId: carrier.config.id, sink: input.sink, sinkCredential: input.sinkCredential },
    (opening) =>
      ctx.store.subscriptions.insert({
        ...opening,
        merchant_id: merchant.id,
        phone_number: phoneNumber,
        carrier_id: carrier.config.id,
        description: input.description,
        currency,
        amount_minor: amountMinor,
        period: input.period,
      }),
    (code, validMinutes) =>
      subscriptionAgreementText({
        merchantName: merchant.name,
        description: input.description,
        amount: formatForPeople(amountMinor, currency),
        every: input.period === 'P1M' ? 'month' : 'week',
        code,
        validMinutes,
      }),
  );
  return subscriptionView(subscription);
}
