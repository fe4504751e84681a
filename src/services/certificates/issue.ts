import { certificateText, consentReceiptLine, redact } from '../../domain/sms-texts.js';
import { newGiftCode, normaliseGiftCode } from '../../domain/gift-code.js';
import type { Context } from '../context.js';
import { encrypt, keyedDigest, randomId, sealedAt } from '../keys.js';
import type { NewCertificate } from '../../ports/store/certificates.js';
import type { PaymentRecord } from '../../ports/store/payments.js';

/**
 * The one gift certificate of a succeeded payment, ready to be written by the statement or
 * transaction that records the success (the payment's unique certificate row makes a second one
 * impossible), and the SMS that carries its code.
 */
export function newCertificate(ctx: Context, payment: PaymentRecord, merchantName: string, now: Date) {
  const code = newGiftCode();
  const expiresAt = new Date(now.getTime() + ctx.config.giftCertificates.validityDays * 86_400_000);
  const id = randomId('gc_');
  const row: NewCertificate = {
    id,
    payment_id: payment.id,
    merchant_id: payment.merchant_id,
    code_digest: giftCodeDigest(ctx, code),
    code_encrypted: encrypt(ctx.keys.giftEncryption, code, sealedAt.giftCode(id)),
    face_minor: payment.amount_minor,
    currency: payment.currency,
    issued_at: now,
    expires_at: expiresAt,
  };
  const text =
    certificateText({ merchantName, amountMinor: payment.amount_minor, currency: payment.currency, code, expiresAt }) +
    // A charge under a standing consent or a subscription asked no code: its SMS is also the
    // receipt, saying how to stop.
    (payment.consent_id !== null || payment.subscription_id !== null
      ? consentReceiptLine(`${ctx.config.publicUrl ?? ''}/me`)
      : '');
  return { row, text, auditText: redact(text, code) };
}

/** The lookup key of a code: a keyed digest of its canonical form. */
export function giftCodeDigest(ctx: Context, code: string): Buffer {
  return keyedDigest(ctx.keys.giftDigest, normaliseGiftCode(code) ?? code);
}
