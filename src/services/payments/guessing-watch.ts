import { errors } from '../../domain/errors.js';
import type { Context } from '../context.js';

// A merchant guessing codes spreads its guesses over many payments and numbers, so no payment's
// own limit of wrong tries stops it. Its share of wrong codes does: only validations that
// compared a code count (a request for a payment that does not exist or has moved on cannot pad
// the share), relayed by the merchant or typed on its confirmation page alike. Past
// `merchantFailureRatio` over at least `merchantMinValidations` in the window, its validations
// are paused until the window is over, and the error log tells the operators.

const validationsKey = (merchantId: string) => `validations:${merchantId}`;
const failuresKey = (merchantId: string) => `validation-failures:${merchantId}`;
const pausedKey = (merchantId: string) => `validations-paused:${merchantId}`;

/** Refuses a merchant's validations while they are paused. */
export async function admitValidation(ctx: Context, merchantId: string): Promise<void> {
  if ((await ctx.cache.count(pausedKey(merchantId))) > 0) {
    throw errors.tooManyRequests(
      'Too many wrong codes for this merchant; validations are paused for a while.',
      ctx.config.otp.merchantWindowSeconds,
    );
  }
}

/** Counts a code compared for one of the merchant's payments; past the share of wrong ones, pauses it. */
export async function recordValidation(ctx: Context, merchantId: string, code: 'right' | 'wrong'): Promise<void> {
  const { merchantFailureRatio, merchantMinValidations, merchantWindowSeconds: window } = ctx.config.otp;
  const [validations, failures] = await Promise.all([
    ctx.cache.hit(validationsKey(merchantId), window),
    code === 'wrong' ? ctx.cache.hit(failuresKey(merchantId), window) : ctx.cache.count(failuresKey(merchantId)),
  ]);
  if (code === 'right' || validations < merchantMinValidations || failures / validations <= merchantFailureRatio)
    return;
  if ((await ctx.cache.hit(pausedKey(merchantId), window)) === 1) {
    ctx.log.error({ merchantId, validations, failures }, 'merchant validations paused: too many wrong codes');
  }
}
