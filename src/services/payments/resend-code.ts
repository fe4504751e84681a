import { errors } from '../../domain/errors.js';
import { missing } from '../../ports/store/missing-row.js';
import { issueCode } from './consent-code.js';
import type { Context, MerchantPrincipal } from '../context.js';
import { lockOwnPayment, movedOnError } from './own-payment.js';
import { reserveCodeSend } from './send-allowance.js';
import { sendSms } from '../carriers/sms.js';

/**
 * Sends a new code for a payment awaiting validation (not part of CAMARA): at most `maxSends`
 * codes per payment, `resendCooldownSeconds` apart. The new code replaces the old one.
 */
export async function resendCode(
  ctx: Context,
  actor: string,
  merchant: Pick<MerchantPrincipal, 'id' | 'limits'>,
  paymentId: string,
) {
  // The send is reserved before the row is locked (no cache round trip inside a transaction) and
  // given back if no code goes out after all.
  const phone = (await ctx.store.payments.find(paymentId))?.phone_number;
  const send = phone === undefined ? undefined : await reserveCodeSend(ctx, phone, merchant);
  const now = ctx.clock.now();

  let resent;
  try {
    resent = await recordResend(ctx, actor, merchant, paymentId, send !== undefined, now);
  } catch (error) {
    await send?.giveBack();
    throw error;
  }
  const { payment, text } = resent;
  await sendSms(ctx, payment, text, 'consent_code');
  return {
    paymentId,
    codesSent: payment.otp_sends,
    codesLeft: Math.max(0, ctx.config.otp.maxSends - payment.otp_sends),
    expiresAt: payment.deadline_at?.toISOString(),
  };
}

/** The new code's digest and its audit row, under the payment's lock, if every limit allows it. */
function recordResend(
  ctx: Context,
  actor: string,
  merchant: Pick<MerchantPrincipal, 'id'>,
  paymentId: string,
  phoneMayReceive: boolean,
  now: Date,
) {
  return ctx.store.transaction(async (tx) => {
    const current = await lockOwnPayment(tx, paymentId, merchant);
    if (current.status !== 'pending_validation') throw movedOnError(current, 'resend');
    if (current.otp_sends >= ctx.config.otp.maxSends)
      throw errors.tooManyRequests('No more codes can be sent for this payment.');
    const readyAt = (current.otp_sent_at?.getTime() ?? 0) + ctx.config.otp.resendCooldownSeconds * 1000;
    if (readyAt > now.getTime())
      throw errors.tooManyRequests(
        'A code was sent moments ago; wait before asking again.',
        Math.ceil((readyAt - now.getTime()) / 1000),
      );
    if (!phoneMayReceive) throw errors.tooManyRequests('Too many codes sent; try again later.', 60);
    const owner = (await tx.merchants.find(current.merchant_id)) ?? missing('merchants', current.merchant_id);
    const code = issueCode(ctx, owner, current, now);
    const audit = {
      actor,
      event: 'code_sent',
      fromStatus: current.status,
      smsText: code.auditText,
      detail: { send: code.issued.otp_sends },
    };
    const updated =
      (await tx.payments.recordCodeResent(paymentId, code.issued, now, audit)) ?? missing('payments', paymentId);
    return { payment: updated, text: code.text };
  });
}
