import type { Context } from './context.js';

const key = (phoneNumber: string) => `otp-sends:${phoneNumber}`;

/**
 * SMS-pumping guard: a phone number receives at most `sendsPerPhonePerHour` codes an hour,
 * whichever merchant asks. `mayReceiveCode` only looks; `countCodeSent` counts a code sent.
 */
export async function mayReceiveCode(ctx: Context, phoneNumber: string): Promise<boolean> {
  return (await ctx.cache.count(key(phoneNumber))) < ctx.config.otp.sendsPerPhonePerHour;
}

export async function countCodeSent(ctx: Context, phoneNumber: string): Promise<void> {
  await ctx.cache.hit(key(phoneNumber), 3600);
}
