import { ApiError, errors } from '../../domain/errors.js';
import { normaliseGiftCode } from '../../domain/gift-code.js';
import { clientKey } from '../../domain/network.js';
import { toDecimal, toMinorUnits } from '../../domain/money.js';
import type { Context } from '../context.js';
import { braked, GUARD_WINDOW_SECONDS } from '../failure-guard.js';
import { certificateView } from './query.js';
import { giftCodeDigest } from './issue.js';
import { randomId } from '../keys.js';
import type { CertificateRecord } from '../../ports/store/certificates.js';
import { assessRedemptionRisk, redemptionRules, type Redeemer } from '../risk/redemption-screen.js';

/**
 * Brute-force guard: failed look-ups (unknown or malformed codes) per merchant and client address
 * a minute. Past the limit every attempt is 429 until the minute is over.
 */
async function guarded<T>(
  ctx: Context,
  merchantId: string,
  clientAddress: string,
  attempt: () => Promise<T | undefined>,
): Promise<T> {
  const found = await braked(
    ctx,
    `gc-failures:${merchantId}:${clientAddress}`,
    ctx.config.giftCertificates.failedAttemptsPerMinute,
    attempt,
    () =>
      errors.tooManyRequests('Too many failed gift-certificate attempts; try again in a minute.', GUARD_WINDOW_SECONDS),
  );
  // Unknown, malformed and others' codes alike.
  if (found === undefined) throw errors.certificateNotFound();
  return found;
}

function digestOf(ctx: Context, code: string): Buffer | undefined {
  const canonical = normaliseGiftCode(code);
  return canonical ? giftCodeDigest(ctx, canonical) : undefined;
}

/** CONTRACTS §3 lookup: the certificate behind a code, without the code. */
export async function lookupCertificate(ctx: Context, merchantId: string, clientAddress: string, code: string) {
  return guarded(ctx, merchantId, clientAddress, async () => {
    const digest = digestOf(ctx, code);
    const certificate = digest && (await ctx.store.certificates.findByDigest(merchantId, digest));
    return certificate ? certificateView(ctx, certificate, false) : undefined;
  });
}

/**
 * CONTRACTS §3 redemption: spends `amount` (default: the whole balance) of a certificate. The row
 * is locked and the UPDATE checks the balance, so concurrent redemptions never take more than it.
 */
export async function redeemCertificate(
  ctx: Context,
  merchantId: string,
  clientAddress: string,
  code: string,
  amount?: number,
  redeemer?: Redeemer,
) {
  const now = ctx.clock.now();
  const rules = await redemptionRules(ctx);
  // One redeeming address however it is written, and an IPv6 client by its /64 (it holds them all).
  const named = redeemer && {
    accountId: redeemer.accountId,
    ...(redeemer.ipAddress ? { ipAddress: clientKey(redeemer.ipAddress) } : {}),
  };
  const redemption = guarded(ctx, merchantId, clientAddress, async () => {
    const digest = digestOf(ctx, code);
    if (!digest) return undefined;
    return ctx.store.transaction(async (tx) => {
      const certificate = await tx.certificates.lockByDigest(merchantId, digest);
      if (!certificate) return undefined;
      const status = certificate.status === 'active' && certificate.expires_at <= now ? 'expired' : certificate.status;
      if (status !== 'active') throw errors.certificateInactive(status === 'redeemed' ? 'fully redeemed' : status);
      const wanted = amount === undefined ? certificate.balance_minor : toMinorUnits(amount, certificate.currency);
      const insufficient = () =>
        errors.insufficientBalance(
          `The balance is ${toDecimal(certificate.balance_minor, certificate.currency)} ${certificate.currency}.`,
        );
      if (wanted > certificate.balance_minor) throw insufficient();
      // The cash-out defence: a redemption the rules find risky is held, its amount reserved.
      const buyerPhone = (await tx.payments.find(certificate.payment_id))?.phone_number ?? null;
      const risk = await assessRedemptionRisk(
        tx,
        rules,
        {
          merchantId,
          certificateId: certificate.id,
          issuedAt: certificate.issued_at,
          buyerPhone,
          ...(named ? { redeemer: named } : {}),
        },
        now,
      );
      const held = risk.decision !== 'allow';
      const redemptionId = randomId('rdm_');
      const spent = await tx.certificates.redeem(
        certificate.id,
        wanted,
        {
          id: redemptionId,
          merchantId,
          status: held ? 'held' : 'completed',
          buyerPhone,
          ...(named ? { redeemer: named } : {}),
          ...(held ? { riskReasons: risk.reasons } : {}),
        },
        now,
      );
      if (!spent) throw insufficient();
      return {
        ...redemptionView(redemptionId, spent, wanted),
        status: held ? ('held' as const) : ('completed' as const),
      };
    });
  });
  try {
    const redeemed = await redemption;
    ctx.metrics.redemption(redeemed.status === 'held' ? 'held' : 'redeemed');
    return redeemed;
  } catch (error) {
    const outcome = error instanceof ApiError ? REFUSALS[error.code] : undefined;
    if (outcome) ctx.metrics.redemption(outcome);
    throw error;
  }
}

/** A redemption of the merchant's: held ones tell whether an operator has released or refused them yet. */
export async function redemptionById(ctx: Context, merchantId: string, redemptionId: string) {
  const r = await ctx.store.redemptions.find(redemptionId);
  if (!r || r.merchant_id !== merchantId) throw errors.notFound('No such redemption.');
  const currency = r.currency;
  return {
    redemptionId: r.id,
    certificateId: r.certificate_id,
    status: r.status,
    amountRedeemed: { amount: toDecimal(r.amount_minor, currency), currency },
    createdAt: r.created_at.toISOString(),
  };
}

/** How refused redemptions are counted (a brake on guessing, 429, is not a redemption). */
const REFUSALS: Readonly<Record<string, 'insufficient_balance' | 'inactive' | 'not_found' | undefined>> = {
  INSUFFICIENT_BALANCE: 'insufficient_balance',
  GIFT_CERTIFICATE_INACTIVE: 'inactive',
  GIFT_CERTIFICATE_NOT_FOUND: 'not_found',
};

function redemptionView(redemptionId: string, c: CertificateRecord, amountMinor: bigint) {
  return {
    redemptionId,
    certificateId: c.id,
    amountRedeemed: { amount: toDecimal(amountMinor, c.currency), currency: c.currency },
    balance: { amount: toDecimal(c.balance_minor, c.currency), currency: c.currency },
  };
}
