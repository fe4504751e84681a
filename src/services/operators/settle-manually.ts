import { errors } from '../../domain/errors.js';
import { actorOf, requireAdmin, type Context, type OperatorPrincipal } from '../context.js';
import { paymentTimeline } from './payments.js';
import { merchantName } from '../merchant-name.js';
import { settleCharge } from '../payments/settle-charge.js';

/**
 * An operator's verdict on a payment in manual review, from the carrier's records or a call to
 * its operations desk: charged (gift certificate issued late) or not charged (denied, reservation
 * released). The same settlement code as recovery and statements; the note goes to the audit trail.
 */
export async function settleManually(
  ctx: Context,
  by: OperatorPrincipal,
  paymentId: string,
  verdict: 'charged' | 'not_charged',
  note: string,
) {
  requireAdmin(by);
  const payment = await ctx.store.payments.find(paymentId);
  if (!payment) throw errors.notFound();
  if (payment.status !== 'manual_review')
    throw errors.alreadyExists(
      `Only a payment in manual review can be settled by hand; this one is ${payment.status}.`,
    );
  const charge = (await ctx.store.operations.ofPayment(paymentId)).find(
    (o) => o.operation === 'charge_reservation' || o.operation === 'charge_amount',
  );
  if (!charge) throw errors.notFound('The payment has no charge to settle.');
  const outcome =
    verdict === 'charged'
      ? { kind: 'succeeded' as const, value: undefined }
      : { kind: 'declined' as const, reason: 'other' as const, carrierCode: 'operator: not charged' };
  const name = await merchantName(ctx, payment.merchant_id);
  const settled = await settleCharge(ctx, payment, charge.id, { outcome, tries: 0 }, name, actorOf(by), true);
  // After the settlement, with what it came to: a verdict that lost a race to recovery says so.
  await ctx.store.audit.record({
    paymentId,
    merchantId: payment.merchant_id,
    actor: actorOf(by),
    event: 'settled_by_operator',
    detail: { verdict, note, status: settled.status, by: by.name },
  });
  return paymentTimeline(ctx, paymentId);
}
