import type { Context } from '../context.js';
import { keyedDigest } from '../keys.js';

/** The only form in which a consent's code is kept: a keyed digest bound to the consent. */
export function consentCodeDigest(ctx: Context, consentId: string, code: string): Buffer {
  return keyedDigest(ctx.keys.otp, `consent:${consentId}:${code}`);
}
