import { randomBytes } from 'node:crypto';
import { newOtpCode, otpDigest } from '../../domain/otp.js';
import { consentText, redact } from '../../domain/sms-texts.js';
import type { IssuedCode, PaymentRecord } from '../../ports/store/payments.js';
import type { Context, MerchantPrincipal } from '../context.js';

export interface NewCode {
  /** What is stored of it: only the digest of the code, never the code. */
  readonly issued: IssuedCode;
  /** The SMS to send now. */
  readonly text: string;
  /** The same SMS with the code masked, for the audit trail. */
  readonly auditText: string;
}

/** A new one-time code for a payment (first send or resend), bound to the payment and this send. */
export function issueCode(
  ctx: Context,
  merchant: Pick<MerchantPrincipal, 'name'>,
  payment: PaymentRecord,
  now: Date,
): NewCode {
  const code = newOtpCode();
  const send = payment.otp_sends + 1;
  const ttl = ctx.config.otp.ttlSeconds;
  const text = consentText({
    merchantName: merchant.name,
    amountMinor: payment.amount_minor,
    currency: payment.currency,
    description: payment.description,
    code,
    validMinutes: Math.max(1, Math.round(ttl / 60)),
  });
  return {
    issued: {
      otp_digest: otpDigest(ctx.keys.otp, payment.id, payment.amount_minor, payment.currency, send, code),
      otp_sends: send,
      otp_sent_at: now,
      deadline_at: new Date(now.getTime() + ttl * 1000),
      authorization_id: payment.authorization_id ?? randomBytes(16).toString('base64url'),
    },
    text,
    auditText: redact(text, code),
  };
}
