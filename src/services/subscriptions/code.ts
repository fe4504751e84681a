import type { Context } from '../context.js';
import { keyedDigest } from '../keys.js';

/** The only form in which a subscription's code is kept: a keyed digest bound to the subscription. */
export function subscriptionCodeDigest(ctx: Context, subscriptionId: string, code: string): Buffer {
  return keyedDigest(ctx.keys.otp, `subscription:${subscriptionId}:${code}`);
}
