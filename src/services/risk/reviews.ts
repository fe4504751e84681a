import { errors } from '../../domain/errors.js';
import { toDecimal } from '../../domain/money.js';
import type { PaymentRecord } from '../../ports/store/payments.js';
import { sendSms } from '../carriers/sms.js';
import { actorOf, requireAdmin, type Context, type OperatorPrincipal } from '../context.js';
import { randomId } from '../keys.js';
import { merchantName } from '../merchant-name.js';
import { paymentTimeline } from '../operators/payments.js';
import { issueCode } from '../payments/consent-code.js';
import { carryOutRelease } from '../payments/release-reservation.js';

/** The most held payments the queue lists at once, oldest first (they lapse first). */
const QUEUE_SIZE = 200;

/** Payments the risk rules held for an operator's decision, oldest first. */
export async function reviewQueue(ctx: Context) {
  const [{ rows, total }, merchants] = await Promise.all([
    ctx.store.payments.list({ statuses: ['held'], order: 'asc', limit: QUEUE_SIZE, offset: 0 }),
    ctx.store.merchants.list(),
  ]);
  const names = new Map(merchants.map((m) => [m.id, m.name]));
  return { total, reviews: rows.map((p) => reviewOf(p, names.get(p.merchant_id) ?? '')) };
}

function reviewOf(p: PaymentRecord, merchantName: string) {
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
 * An operator approves a held payment: the phone user is texted the code now, and the payment goes
 * on as any other (pending_validation, notified). One conditional update decides, so an approval
 * racing a decline or the hold's lapse either wins whole or is told the payment moved on.
 */
export async function approveReview(ctx: Context, by: OperatorPrincipal, paymentId: string) {
  requireAdmin(by);
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

/** An operator declines a held payment: it ends denied (the merchant is notified) and the reservation goes back. */
export async function declineReview(ctx: Context, by: OperatorPrincipal, paymentId: string) {
  requireAdmin(by);
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

async function heldPayment(ctx: Context, paymentId: string): Promise<PaymentRecord> {
  const payment = await ctx.store.payments.find(paymentId);
  if (!payment) throw errors.notFound('No such review.');
  if (payment.status !== 'held') throw movedOn(payment);
  return payment;
}

function movedOn(payment: PaymentRecord | undefined) {
  return errors.alreadyExists(`The payment is no longer held for review (${payment?.status ?? 'gone'}).`);
}
