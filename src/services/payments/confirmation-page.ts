import { formatForPeople } from '../../domain/money.js';
import type { Context } from '../context.js';
import { merchantName } from '../merchant-name.js';
import { decrypt, keyedDigest, sealedAt } from '../keys.js';
import { resendCode } from './resend-code.js';
import { validatePayment } from './validate.js';
import type { PaymentRecord } from '../../ports/store/payments.js';

export interface PageView {
  payment: PaymentRecord;
  merchantName: string;
  amount: string;
  /** The gift-certificate code, once the payment succeeded. */
  certificateCode?: string;
}

/** What the phone user's confirmation page shows for a URL token, or undefined for a wrong token. */
export async function pageView(ctx: Context, token: string): Promise<PageView | undefined> {
  const payment = await ctx.store.payments.findByPageToken(keyedDigest(ctx.keys.tokens, token));
  if (!payment) return undefined;
  const name = await merchantName(ctx, payment.merchant_id);
  const [certificate] =
    payment.status === 'succeeded' ? await ctx.store.certificates.ofPayment(payment.merchant_id, payment.id) : [];
  return {
    payment,
    merchantName: name,
    amount: formatForPeople(payment.amount_minor, payment.currency),
    ...(certificate
      ? {
          certificateCode: decrypt(
            ctx.keys.giftEncryption,
            certificate.code_encrypted,
            sealedAt.giftCode(certificate.id),
          ),
        }
      : {}),
  };
}

/** The code typed on the page: the same rules as validatePayment, the phone user as actor. */
export async function submitCode(ctx: Context, view: PageView, code: string): Promise<void> {
  await validatePayment(ctx, 'phone-user', { id: view.payment.merchant_id }, view.payment.id, {
    authorizationId: view.payment.authorization_id ?? '',
    code,
  });
}

export async function requestNewCode(ctx: Context, view: PageView): Promise<void> {
  const merchant = await ctx.store.merchants.find(view.payment.merchant_id);
  const codesPerMinute = merchant?.codes_per_minute ?? undefined;
  await resendCode(ctx, 'phone-user', { id: view.payment.merchant_id, limits: { codesPerMinute } }, view.payment.id);
}
