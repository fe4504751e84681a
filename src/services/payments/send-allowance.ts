import type { Context } from '../context.js';

const phoneKey = (phoneNumber: string) => `otp-sends:${phoneNumber}`;
const merchantKey = (merchantId: string) => `otp-sends-merchant:${merchantId}`;

/**
 * SMS-pumping guards: a phone number receives at most `sendsPerPhonePerHour` codes an hour,
 * whichever merchant asks, and a merchant has at most `codesPerMerchantPerMinute` codes sent a
 * minute. `mayReceiveCode` only looks; `countCodeSent` counts a code sent.
 */
export async function mayReceiveCode(ctx: Context, phoneNumber: string, merchantId: string): Promise<boolean> {
  const [phone, merchant] = await Promise.all([
    ctx.cache.count(phoneKey(phoneNumber)),
    ctx.cache.count(merchantKey(merchantId)),
  ]);
  return phone < ctx.config.otp.sendsPerPhonePerHour && merchant < ctx.config.limits.codesPerMerchantPerMinute;
}

export async function countCodeSent(ctx: Context, phoneNumber: string, merchantId: string): Promise<void> {
  await Promise.all([ctx.cache.hit(phoneKey(phoneNumber), 3600), ctx.cache.hit(merchantKey(merchantId), 60)]);
}
