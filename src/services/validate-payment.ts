import { ApiError, errors } from '../domain/errors.js';
import { otpDigest, secretsEqual } from '../domain/otp.js';
import { appendAudit } from '../store/audit-repo.js';
import { applyEvent, updatePaymentFields, type PaymentRow } from '../store/payments-repo.js';
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
export async function validatePayment(ctx: Context, actor: string, merchant: Pick<MerchantPrincipal, 'id'>, paymentId: string, input: ValidateInput): Promise<void> {
  const now = ctx.clock.now();
  let release: { payment: PaymentRow; operationId?: string } | undefined;

  const failure = await ctx.db.transaction(async (tx): Promise<ApiError | undefined> => {
    const payment = await lockOwnPayment(tx, paymentId, merchant.id);
    if (payment.status !== 'pending_validation') return movedOnError(payment, 'validate');
    if (!secretsEqual(input.authorizationId, payment.authorization_id ?? '')) return errors.invalidAuthorizationId();
    const audit = (event: string, toStatus: string, detail?: Record<string, unknown>) =>
      appendAudit(tx, { paymentId, merchantId: merchant.id, actor, event, fromStatus: payment.status, toStatus, detail });

    const deny = async (event: 'validation_expired' | 'validation_failed', failures: number) => {
      const denied = (await applyEvent(tx, paymentId, event, { otp_failures: failures, otp_digest: null, deadline_at: null, denial_reason: event }, now)) as PaymentRow;
      release = { payment: denied, operationId: await recordRelease(tx, denied) };
      await audit(event, 'denied', { failures });
    };

    if ((payment.deadline_at?.getTime() ?? 0) <= now.getTime()) {
      await deny('validation_expired', payment.otp_failures);
      return errors.validationFailed('The validation code has expired.');
    }
    const expected = payment.otp_digest ?? Buffer.alloc(0);
    const given = otpDigest(ctx.keys.otp, payment.id, payment.amount_minor, payment.currency, payment.otp_sends, input.code.trim());
    if (secretsEqual(given, expected)) {
      const deadline = new Date(now.getTime() + ctx.config.payments.reservedTtlSeconds * 1000);
      await applyEvent(tx, paymentId, 'code_validated', { otp_digest: null, deadline_at: deadline }, now, { actor, event: 'code_validated', fromStatus: payment.status });
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
