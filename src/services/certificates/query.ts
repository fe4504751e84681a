import { errors } from '../../domain/errors.js';
import { toDecimal } from '../../domain/money.js';
import type { Context } from '../context.js';
import { decrypt, sealedAt } from '../keys.js';
import type { CertificateRecord } from '../../ports/store/certificates.js';

/** A certificate as CONTRACTS §3 shows it; `expired` is shown as soon as it lapses. */
export function certificateView(ctx: Context, c: CertificateRecord, withCode: boolean) {
  const money = (minor: bigint) => ({ amount: toDecimal(minor, c.currency), currency: c.currency });
  const status = c.status === 'active' && c.expires_at <= ctx.clock.now() ? 'expired' : c.status;
  return {
    certificateId: c.id,
    paymentId: c.payment_id,
    ...(withCode ? { code: decrypt(ctx.keys.giftEncryption, c.code_encrypted, sealedAt.giftCode(c.id)) } : {}),
    faceValue: money(c.face_minor),
    balance: money(c.balance_minor),
    status,
    issuedAt: c.issued_at.toISOString(),
    expiresAt: c.expires_at.toISOString(),
  };
}

export async function certificatesForPayment(ctx: Context, merchantId: string, paymentId: string) {
  return (await ctx.store.certificates.ofPayment(merchantId, paymentId)).map((c) => certificateView(ctx, c, true));
}

export async function certificateById(ctx: Context, merchantId: string, certificateId: string) {
  const certificate = await ctx.store.certificates.find(merchantId, certificateId);
  if (!certificate) throw errors.notFound('No such gift certificate.');
  return certificateView(ctx, certificate, true);
}
