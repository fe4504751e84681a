import { randomBytes } from 'node:crypto';
import { formatForPeople } from '../../domain/money.js';
import { errors } from '../../domain/errors.js';
import { secretsEqual } from '../../domain/otp.js';
import { braked, GUARD_WINDOW_SECONDS } from '../failure-guard.js';
import type { Context } from '../context.js';
import { merchantName } from '../merchant-name.js';
import { limitsOf } from '../merchant-limits.js';
import { decrypt, keyedDigest, sealedAt } from '../keys.js';
import { resendCode } from './resend-code.js';
import { validatePayment } from './validate.js';
import type { PaymentRecord } from '../../ports/store/payments.js';
import type { CertificateRecord } from '../../ports/store/certificates.js';

export interface PageView {
  payment: PaymentRecord;
  merchantName: string;
  amount: string;
  /**
   * Once the payment succeeded: the gift-certificate code the first time the page shows it, and
   * after that only its last characters (the SMS has it too), so a link that leaks later (a
   * shared screen, a browser history) does not hand the code over.
   */
  certificate?: { code: string } | { lastCharacters: string };
}

/** The page's link lives as long as its payment may: the reservation's lifetime from its creation. */
export function linkExpired(ctx: Context, payment: PaymentRecord): boolean {
  return ctx.clock.now().getTime() > payment.created_at.getTime() + ctx.config.payments.reservedTtlSeconds * 1000;
}

const LINK = /^[A-Za-z0-9_-]{43}$/;

/**
 * The page's payment for a URL token, or undefined for a wrong one. Unknown links are braked per
 * client address (only misses stay counted, so real links are never shut out).
 */
export async function pagePayment(
  ctx: Context,
  token: string,
  clientAddress: string,
): Promise<PaymentRecord | undefined> {
  return braked(
    ctx,
    `page-misses:${clientAddress}`,
    ctx.config.giftCertificates.failedAttemptsPerMinute,
    async () =>
      LINK.test(token) ? ctx.store.payments.findByPageToken(keyedDigest(ctx.keys.tokens, token)) : undefined,
    () => errors.tooManyRequests('Too many unknown payment links; try again in a minute.', GUARD_WINDOW_SECONDS),
  );
}

/** What the phone user's confirmation page shows of a payment. */
export async function pageView(ctx: Context, payment: PaymentRecord): Promise<PageView> {
  const name = await merchantName(ctx, payment.merchant_id);
  const [certificate] =
    payment.status === 'succeeded' ? await ctx.store.certificates.ofPayment(payment.merchant_id, payment.id) : [];
  return {
    payment,
    merchantName: name,
    amount: formatForPeople(payment.amount_minor, payment.currency),
    ...(certificate ? { certificate: await shownOnce(ctx, certificate) } : {}),
  };
}

/** The page again after an action changed its payment. */
export async function refreshedView(ctx: Context, view: PageView): Promise<PageView> {
  return pageView(ctx, (await ctx.store.payments.find(view.payment.id)) ?? view.payment);
}

async function shownOnce(ctx: Context, certificate: CertificateRecord) {
  const code = decrypt(ctx.keys.giftEncryption, certificate.code_encrypted, sealedAt.giftCode(certificate.id));
  if (await ctx.store.certificates.markShownOnPage(certificate.id, ctx.clock.now())) return { code };
  return { lastCharacters: code.replace(/-/g, '').slice(-4) };
}

/**
 * The page's form token (security finding 9): `<nonce>.<HMAC(payment, nonce)>`, issued by the
 * server and bound to the payment, carried in a cookie and in each form. A value the client makes
 * up, or one issued for another payment, fails the MAC, so planting a cookie (from a sibling
 * host, say) gains nothing.
 */
export function pageFormToken(ctx: Context, paymentId: string, nonce = randomBytes(18).toString('base64url')): string {
  return `${nonce}.${keyedDigest(ctx.keys.tokens, `page-form:${paymentId}:${nonce}`).toString('base64url')}`;
}

export function pageFormTokenValid(ctx: Context, paymentId: string, token: string | undefined): boolean {
  const [nonce = '', mac = ''] = (token ?? '').split('.');
  return /^[\w-]{24}$/.test(nonce) && mac.length > 0 && secretsEqual(token ?? '', pageFormToken(ctx, paymentId, nonce));
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
  const limits = merchant ? limitsOf(merchant) : {};
  await resendCode(ctx, 'phone-user', { id: view.payment.merchant_id, limits }, view.payment.id);
}
