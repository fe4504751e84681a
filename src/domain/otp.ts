import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** A fresh 6-digit one-time code from the CSPRNG. */
export function newOtpCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/**
 * The only form in which a code is stored: an HMAC bound to the payment, its amount and the send
 * number, so a code can neither be replayed on another payment nor survive a resend.
 */
export function otpDigest(
  key: Buffer,
  paymentId: string,
  amountMinor: bigint,
  currency: string,
  send: number,
  code: string,
): Buffer {
  return createHmac('sha256', key).update(`${paymentId}|${amountMinor}|${currency}|${send}|${code}`).digest();
}

/** Constant-time equality of two secrets (digests, ids, tokens); unequal lengths are simply unequal. */
export function secretsEqual(a: Buffer | string, b: Buffer | string): boolean {
  const x = typeof a === 'string' ? Buffer.from(a) : a;
  const y = typeof b === 'string' ? Buffer.from(b) : b;
  return x.length === y.length && timingSafeEqual(x, y);
}
