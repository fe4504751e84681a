import type { Context } from './context.js';

/**
 * SMS-pumping guard: a phone number receives at most `sendsPerPhonePerHour` codes an hour,
 * whichever merchant asks. Counts the send it allows.
 */
export async function mayReceiveCode(ctx: Context, phoneNumber: string): Promise<boolean> {
  return (await ctx.cache.hit(`otp-sends:${phoneNumber}`, 3600)) <= ctx.config.otp.sendsPerPhonePerHour;
}
