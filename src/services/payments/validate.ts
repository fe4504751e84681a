import { ApiError, errors } from '../../domain/errors.js';
import { otpDigest, secretsEqual } from '../../domain/otp.js';
import { missing } from '../../ports/store/missing-row.js';
import type { PaymentRecord } from '../../ports/store/payments.js';
import type { Store } from '../../ports/store/store.js';
import type { Context } from '../context.js';
import { randomId } from '../keys.js';
import { lockOwnPayment, movedOnError, ownedBy, type PaymentOwner } from './own-payment.js';
import { admitValidation, recordValidation } from './guessing-watch.js';
import { carryOutRelease } from './release-reservation.js';

export interface ValidateInput {
  authorizationId: string;
  code: string;
}

/**
 * CAMARA validatePayment: the phone user's code, relayed by the merchant. Right → reserved;
 * wrong → counted, and the last allowed wrong try (or an expired code) ends the payment denied.
 */
export async function validatePayment(
  ctx: Context,
  actor: string,
  merchant: PaymentOwner,
  paymentId: string,
  input: ValidateInput,
): Promise<void> {
  const now = ctx.clock.now();
  // A merchant's codes are watched as a whole, relayed or typed on its page (guessing-watch.ts).
  await admitValidation(ctx, merchant.id);
  if (await acceptRightCode(ctx, actor, merchant, paymentId, input, now)) {
    await recordValidation(ctx, merchant.id, 'right');
    return;
  }
  let denied: PaymentRecord | undefined;
  const compared: { code?: 'right' | 'wrong' } = {};
  const releaseId = randomId('op_');

  const failure = await ctx.store.transaction(async (tx): Promise<ApiError | undefined> => {
    const payment = await lockOwnPayment(tx, paymentId, merchant);
    if (payment.status !== 'pending_validation') return movedOnError(payment, 'validate');
    if (!secretsEqual(input.authorizationId, payment.authorization_id ?? '')) return errors.invalidAuthorizationId();

    const deny = async (event: 'validation_expired' | 'validation_failed', failures: number) => {
      denied =
        (await tx.payments.end(
          paymentId,
          { event, denialReason: event, failures, releaseOperationId: releaseId },
          now,
          { actor, event, fromStatus: payment.status, detail: { failures } },
        )) ?? missing('payments', paymentId);
    };

    if (isLapsed(payment, now)) {
      ctx.metrics.validationFailed('expired');
      await deny('validation_expired', payment.otp_failures);
      return errors.validationFailed('The validation code has expired.');
    }
    if (isRightCode(ctx, payment, input.code)) {
      compared.code = 'right';
      await markValidated(ctx, tx, actor, paymentId, now);
      return undefined;
    }
    const failures = payment.otp_failures + 1;
    compared.code = 'wrong';
    ctx.metrics.validationFailed(failures >= ctx.config.otp.maxAttempts ? 'attempts_exhausted' : 'wrong_code');
    if (failures >= ctx.config.otp.maxAttempts) {
      await deny('validation_failed', failures);
      return errors.validationFailed();
    }
    await tx.payments.recordWrongCode(paymentId, failures, now, {
      actor,
      event: 'code_rejected',
      fromStatus: payment.status,
      detail: { failures },
    });
    return errors.invalidCode(`Invalid code. ${ctx.config.otp.maxAttempts - failures} attempt(s) left.`);
  });

  if (denied) await carryOutRelease(ctx, denied, releaseId, actor);
  if (compared.code) await recordValidation(ctx, merchant.id, compared.code);
  if (failure) throw failure;
}

/**
 * The usual case, a right code in time, without a transaction: read the payment, check the code,
 * and move it in one statement only while its code is still the one checked (a resend, the last
 * wrong try, a lapse or a cancel replaces it). Anything else is decided by the locked path.
 */
async function acceptRightCode(
  ctx: Context,
  actor: string,
  owner: PaymentOwner,
  paymentId: string,
  input: ValidateInput,
  now: Date,
): Promise<boolean> {
  const payment = await ctx.store.payments.find(paymentId);
  if (!payment || !ownedBy(payment, owner) || payment.status !== 'pending_validation' || !payment.otp_digest)
    return false;
  if (
    !secretsEqual(input.authorizationId, payment.authorization_id ?? '') ||
    isLapsed(payment, now) ||
    !isRightCode(ctx, payment, input.code)
  )
    return false;
  return (await markValidated(ctx, ctx.store, actor, paymentId, now, payment.otp_digest)) !== undefined;
}

function isLapsed(payment: PaymentRecord, now: Date): boolean {
  return (payment.deadline_at?.getTime() ?? 0) <= now.getTime();
}

function isRightCode(ctx: Context, payment: PaymentRecord, code: string): boolean {
  const given = otpDigest(
    ctx.keys.otp,
    payment.id,
    payment.amount_minor,
    payment.currency,
    payment.otp_sends,
    code.trim(),
  );
  return secretsEqual(given, payment.otp_digest ?? Buffer.alloc(0));
}

/** A validated payment waits for confirm until its reservation's TTL; the code is spent. */
function markValidated(ctx: Context, store: Store, actor: string, paymentId: string, now: Date, whileCode?: Buffer) {
  const deadline = new Date(now.getTime() + ctx.config.payments.reservedTtlSeconds * 1000);
  return store.payments.recordCodeValidated(paymentId, { deadline, whileCode }, now, {
    actor,
    event: 'code_validated',
    fromStatus: 'pending_validation',
  });
}
