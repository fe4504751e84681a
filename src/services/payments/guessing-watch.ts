import { errors } from '../../domain/errors.js';
import type { Context } from '../context.js';

const validationsKey = (merchantId: string) => `validations:${merchantId}`;
const failuresKey = (merchantId: string) => `validation-failures:${merchantId}`;
const pausedKey = (merchantId: string) => `validations-paused:${merchantId}`;

/**
 * A merchant guessing codes spreads its guesses over many payments and numbers, so no payment's
 * own limit of wrong tries stops it. Its share of wrong codes does: past `merchantFailureRatio`
 * (over at least `merchantMinValidations` validations in the window), its validations are paused
 * until the window is over and the error log tells the operators.
 */
/** Counts a merchant's validation, refused while its validations are paused (one round trip). */
export async function admitValidation(ctx: Context, merchantId: string): Promise<void> {
  const window = ctx.config.otp.merchantWindowSeconds;
  const [paused] = await Promise.all([
    ctx.cache.count(pausedKey(merchantId)),
    ctx.cache.hit(validationsKey(merchantId), window),
  ]);
  if (paused > 0) {
    throw errors.tooManyRequests(
      'Too many wrong codes from this merchant; validations are paused for a while.',
      window,
    );
  }
}

/** A wrong code relayed by the merchant; past the ratio, its validations are paused. */
export async function recordWrongCode(ctx: Context, merchantId: string): Promise<void> {
  const { merchantFailureRatio, merchantMinValidations, merchantWindowSeconds: window } = ctx.config.otp;
  const [failures, validations] = await Promise.all([
    ctx.cache.hit(failuresKey(merchantId), window),
    ctx.cache.count(validationsKey(merchantId)),
  ]);
  if (validations < merchantMinValidations || failures / validations <= merchantFailureRatio) return;
  if ((await ctx.cache.hit(pausedKey(merchantId), window)) === 1) {
    ctx.log.error({ merchantId, validations, failures }, 'merchant validations paused: too many wrong codes');
  }
}
