import { randomBytes } from 'node:crypto';
import { errors } from '../../domain/errors.js';
import { formatForPeople, toMinorUnits } from '../../domain/money.js';
import { newOtpCode } from '../../domain/otp.js';
import { requireRealPhoneNumber } from '../../domain/phone.js';
import { subscriptionAgreementText } from '../../domain/sms-texts.js';
import type { SubscriptionPeriod } from '../../domain/subscription-periods.js';
import { textPhoneUser } from '../carriers/sms.js';
import type { Context, MerchantPrincipal } from '../context.js';
import { encrypt, randomId, sealedAt } from '../keys.js';
import { servingCarrier } from '../payments/intake.js';
import { reserveCodeSend } from '../payments/send-allowance.js';
import { numberBlocked } from '../phone-users/controls.js';
import { subscriptionCodeDigest } from './code.js';
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

  const send = await reserveCodeSend(ctx, phoneNumber, merchant);
  if (!send) throw errors.tooManyRequests('Too many codes sent to this phone number; try again later.', 3600);
  const id = randomId('sub_');
  const code = newOtpCode();
  const ttl = ctx.config.otp.ttlSeconds;
  const now = ctx.clock.now();
  let subscription;
  try {
    subscription = await ctx.store.subscriptions.insert({
      id,
      merchant_id: merchant.id,
      phone_number: phoneNumber,
      carrier_id: carrier.config.id,
      description: input.description,
      currency,
      amount_minor: amountMinor,
      period: input.period,
      authorization_id: randomBytes(16).toString('base64url'),
      otp_digest: subscriptionCodeDigest(ctx, id, code),
      code_deadline_at: new Date(now.getTime() + ttl * 1000),
      sink: input.sink ?? null,
      sink_credential_encrypted:
        input.sink && input.sinkCredential
          ? encrypt(ctx.keys.merchantSecrets, JSON.stringify(input.sinkCredential), sealedAt.sinkCredential(id))
          : null,
      created_at: now,
    });
  } catch (error) {
    await send.giveBack();
    throw error;
  }
  const text = subscriptionAgreementText({
    merchantName: merchant.name,
    description: input.description,
    amount: formatForPeople(amountMinor, currency),
    every: input.period === 'P1M' ? 'month' : 'week',
    code,
    validMinutes: Math.max(1, Math.round(ttl / 60)),
  });
  await textPhoneUser(ctx, carrier.config.id, phoneNumber, text, 'subscription_code', { subscriptionId: id });
  return subscriptionView(subscription);
}
