import { errors } from '../../domain/errors.js';
import { toDecimal } from '../../domain/money.js';
import type { PaymentRecord } from '../../ports/store/payments.js';
import type { RedemptionRecord } from '../../ports/store/redemptions.js';
import { sendSms } from '../carriers/sms.js';
import { actorOf, requireAdmin, type Context, type OperatorPrincipal } from '../context.js';
import { randomId } from '../keys.js';
import { merchantName } from '../merchant-name.js';
import { paymentTimeline } from '../operators/payments.js';
import { issueCode } from '../payments/consent-code.js';
import { carryOutRelease } from '../payments/release-reservation.js';

/** The most held payments the queue lists at once, oldest first (they lapse first). */
const QUEUE_SIZE = 200;

/** Payments and redemptions the risk rules held for an operator's decision, oldest first. */
export async function reviewQueue(ctx: Context) {
  const [payments, redemptions, merchants] = await Promise.all([
    ctx.store.payments.list({ statuses: ['held'], order: 'asc', limit: QUEUE_SIZE, offset: 0 }),
    ctx.store.redemptions.held(QUEUE_SIZE),
    ctx.store.merchants.list(),
  ]);
  const names = new Map(merchants.map((m) => [m.id, m.name]));
  const merchantNameOf = (id: string) => names.get(id) ?? '';
  const reviews = [
    ...payments.rows.map((p) => paymentReview(p, merchantNameOf(p.merchant_id))),
    ...redemptions.rows.map((r) => redemptionReview(r, merchantNameOf(r.merchant_id))),
  ].sort((a, b) => a.heldSince.localeCompare(b.heldSince));
  return { total: payments.total + redemptions.total, reviews };
}

function redemptionReview(r: RedemptionRecord, merchantName: string) {
  return {
    reviewId: r.id,
    kind: 'redemption' as const,
    redemptionId: r.id,
    certificateId: r.certificate_id,
    merchantId: r.merchant_id,
    merchantName,
    // The number that bought the certificate.
    phoneNumber: r.buyer_phone ?? '',
    amount: { amount: toDecimal(r.amount_minor, r.currency), currency: r.currency },
    status: r.status,
    redeemer: { accountId: r.redeemer_account, ipAddress: r.redeemer_address },
    heldSince: r.created_at.toISOString(),
    lapsesAt: null,
    reasons: r.risk_reasons ?? [],
  };
}

function paymentReview(p: PaymentRecord, merchantName: string) {
  return {
    reviewId: p.id,
    kind: 'payment' as const,
    paymentId: p.id,
    merchantId: p.merchant_id,
    merchantName,
    phoneNumber: p.phone_number,
    amount: { amount: toDecimal(p.amount_minor, p.currency), currency: p.currency },
    description: p.description,
    heldSince: p.updated_at.toISOString(),
    lapsesAt: p.deadline_at?.toISOString() ?? null,
    reasons: p.risk_reasons ?? [],
  };
}

/**
 * An operator approves a held payment, or releases a held redemption (a review's id is the
 * payment's or the redemption's). A payment's phone user is texted the code now, and the payment
 * goes on as any other (pending_validation, notified). One conditional update decides, so an approval
 * racing a decline or the hold's lapse either wins whole or is told the payment moved on.
 */
export async function approveReview(ctx: Context, by: OperatorPrincipal, reviewId: string) {
  requireAdmin(by);
  if (isRedemption(reviewId)) return decideRedemption(ctx, by, reviewId, 'completed');
  const paymentId = reviewId;
  const payment = await heldPayment(ctx, paymentId);
  const now = ctx.clock.now();
  const code = issueCode(ctx, { name: await merchantName(ctx, payment.merchant_id) }, payment, now);
  const approved = await ctx.store.payments.recordReviewApproved(paymentId, code.issued, now, {
    actor: actorOf(by),
    event: 'review_approved',
    fromStatus: 'held',
    smsText: code.auditText,
    detail: { by: by.name, send: code.issued.otp_sends },
  });
  if (!approved) throw movedOn(await ctx.store.payments.find(paymentId));
  await sendSms(ctx, approved, code.text, 'consent_code');
  return paymentTimeline(ctx, paymentId);
}

/**
 * An operator declines a held payment (it ends denied, the merchant notified, the reservation
 * given back), or refuses a held redemption.
 */
export async function declineReview(ctx: Context, by: OperatorPrincipal, reviewId: string) {
  requireAdmin(by);
  if (isRedemption(reviewId)) return decideRedemption(ctx, by, reviewId, 'refused');
  const paymentId = reviewId;
  await heldPayment(ctx, paymentId);
  const releaseId = randomId('op_');
  const declined = await ctx.store.payments.end(
    paymentId,
    { event: 'review_declined', denialReason: 'risk_declined', releaseOperationId: releaseId },
    ctx.clock.now(),
    { actor: actorOf(by), event: 'review_declined', fromStatus: 'held', detail: { by: by.name } },
  );
  if (!declined) throw movedOn(await ctx.store.payments.find(paymentId));
  await carryOutRelease(ctx, declined, releaseId, actorOf(by));
  return paymentTimeline(ctx, paymentId);
}

const isRedemption = (reviewId: string) => reviewId.startsWith('rdm_');

/**
 * Releases a held redemption (it stands, the amount spent) or refuses it: the amount goes back to
 * the certificate and the redeemer's account and address are flagged for the rules.
 */
async function decideRedemption(
  ctx: Context,
  by: OperatorPrincipal,
  redemptionId: string,
  outcome: 'completed' | 'refused',
) {
  const now = ctx.clock.now();
  const decided = await ctx.store.transaction(async (tx) => {
    const redemption = await tx.redemptions.decide(redemptionId, outcome, actorOf(by), now);
    if (!redemption) return undefined;
    if (outcome === 'refused') {
      await tx.certificates.giveBack(redemption.certificate_id, redemption.amount_minor, now);
      await tx.redemptions.flag(redemption, actorOf(by), now);
    }
    await tx.audit.recordAction({
      actor: actorOf(by),
      event: outcome === 'completed' ? 'redemption_released' : 'redemption_refused',
      merchantId: redemption.merchant_id,
      detail: { by: by.name, redemptionId, certificateId: redemption.certificate_id },
    });
    return redemption;
  });
  if (!decided) {
    const current = await ctx.store.redemptions.find(redemptionId);
    if (!current) throw errors.notFound('No such review.');
    throw errors.alreadyExists(`The redemption is no longer held for review (${current.status}).`);
  }
  return redemptionReview(decided, await merchantName(ctx, decided.merchant_id));
}

async function heldPayment(ctx: Context, paymentId: string): Promise<PaymentRecord> {
  const payment = await ctx.store.payments.find(paymentId);
  if (!payment) throw errors.notFound('No such review.');
  if (payment.status !== 'held') throw movedOn(payment);
  return payment;
}

function movedOn(payment: PaymentRecord | undefined) {
  return errors.alreadyExists(`The payment is no longer held for review (${payment?.status ?? 'gone'}).`);
}
