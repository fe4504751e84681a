import { ApiError, errors } from '../domain/errors.js';
import { otpDigest, secretsEqual } from '../domain/otp.js';
import { appendAudit, auditOfChange } from '../store/audit-repo.js';
import { applyEvent, findPayment, updatePaymentFields, type PaymentRow } from '../store/payments-repo.js';
import type { Queryable } from '../store/database.js';
import type { Context, MerchantPrincipal } from './context.js';
import { movedOnError, lockOwnPayment } from './payment-access.js';
import { carryOutRelease, recordRelease } from './release-reservation.js';

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
  merchant: Pick<MerchantPrincipal, 'id'>,
  paymentId: string,
  input: ValidateInput,
): Promise<void> {
  const now = ctx.clock.now();
  if (await acceptRightCode(ctx, actor, merchant.id, paymentId, input, now)) return;
  let release: { payment: PaymentRow; operationId?: string } | undefined;

  const failure = await ctx.db.transaction(async (tx): Promise<ApiError | undefined> => {
    const payment = await lockOwnPayment(tx, paymentId, merchant.id);
    if (payment.status !== 'pending_validation') return movedOnError(payment, 'validate');
    if (!secretsEqual(input.authorizationId, payment.authorization_id ?? '')) return errors.invalidAuthorizationId();
    const audit = (event: string, toStatus: string, detail?: Record<string, unknown>) =>
      appendAudit(tx, {
        paymentId,
        merchantId: merchant.id,
        actor,
        event,
        fromStatus: payment.status,
        toStatus,
        detail,
      });

    const deny = async (event: 'validation_expired' | 'validation_failed', failures: number) => {
      const denied = (await applyEvent(
        tx,
        paymentId,
        event,
        { otp_failures: failures, otp_digest: null, deadline_at: null, denial_reason: event },
        now,
      )) as PaymentRow;
      release = { payment: denied, operationId: await recordRelease(tx, denied) };
      await audit(event, 'denied', { failures });
    };

    if (isLapsed(payment, now)) {
      await deny('validation_expired', payment.otp_failures);
      return errors.validationFailed('The validation code has expired.');
    }
    if (isRightCode(ctx, payment, input.code)) {
      await markValidated(ctx, tx, actor, paymentId, now);
      return undefined;
    }
    const failures = payment.otp_failures + 1;
    if (failures >= ctx.config.otp.maxAttempts) {
      await deny('validation_failed', failures);
      return errors.validationFailed();
    }
    await updatePaymentFields(tx, paymentId, { otp_failures: failures }, now);
    await audit('code_rejected', payment.status, { failures });
    return errors.invalidCode(`Invalid code. ${ctx.config.otp.maxAttempts - failures} attempt(s) left.`);
  });

  if (release) await carryOutRelease(ctx, release.payment, release.operationId, actor);
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
  merchantId: string,
  paymentId: string,
  input: ValidateInput,
  now: Date,
): Promise<boolean> {
  const payment = await findPayment(ctx.db, paymentId);
  if (!payment || payment.merchant_id !== merchantId || payment.status !== 'pending_validation' || !payment.otp_digest)
    return false;
  if (
    !secretsEqual(input.authorizationId, payment.authorization_id ?? '') ||
    isLapsed(payment, now) ||
    !isRightCode(ctx, payment, input.code)
  )
    return false;
  return (await markValidated(ctx, ctx.db, actor, paymentId, now, payment.otp_digest)) !== undefined;
}

function isLapsed(payment: PaymentRow, now: Date): boolean {
  return (payment.deadline_at?.getTime() ?? 0) <= now.getTime();
}

function isRightCode(ctx: Context, payment: PaymentRow, code: string): boolean {
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
function markValidated(
  ctx: Context,
  db: Queryable,
  actor: string,
  paymentId: string,
  now: Date,
  whileOtpDigest?: Buffer,
) {
  const deadline = new Date(now.getTime() + ctx.config.payments.reservedTtlSeconds * 1000);
  return applyEvent(db, paymentId, 'code_validated', { otp_digest: null, deadline_at: deadline }, now, {
    otpDigest: whileOtpDigest,
    also: [auditOfChange({ actor, event: 'code_validated', fromStatus: 'pending_validation' })],
  });
}
