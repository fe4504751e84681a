import { errors } from '../../domain/errors.js';
import { pageWindow } from '../paging.js';
import { toDecimal } from '../../domain/money.js';
import type { Context } from '../context.js';
import { findOwnPayment, type PaymentOwner } from '../payments/own-payment.js';
import { MAX_PER_PAGE } from '../payments/query.js';
import { refundView } from './view.js';
import type { RefundStatus } from '../../ports/store/refunds.js';

export async function retrieveRefund(ctx: Context, owner: PaymentOwner, paymentId: string, refundId: string) {
  await findOwnPayment(ctx.store, paymentId, owner);
  const refund = await ctx.store.refunds.find(refundId);
  if (!refund || refund.merchant_id !== owner.id || refund.payment_id !== paymentId) throw errors.notFound();
  return refundView(refund);
}

export interface RefundQuery {
  page: number;
  perPage: number;
  from?: Date;
  to?: Date;
  order: 'asc' | 'desc';
  statuses?: Array<'processing' | 'denied' | 'succeeded'>;
  merchantIdentifier?: string;
}

export async function retrieveRefunds(ctx: Context, owner: PaymentOwner, paymentId: string, q: RefundQuery) {
  await findOwnPayment(ctx.store, paymentId, owner);
  const window = pageWindow(q.page, q.perPage, MAX_PER_PAGE);
  const to = q.to ?? (q.from ? ctx.clock.now() : undefined);
  if (q.from && to && q.from > to) throw errors.invalidRefundDateRange();
  const statuses = q.statuses?.flatMap((s): RefundStatus[] =>
    s === 'processing' ? ['processing', 'manual_review'] : [s],
  );
  const { rows, total } = await ctx.store.refunds.list({
    merchantId: owner.id,
    paymentId,
    statuses,
    from: q.from,
    to,
    merchantIdentifier: q.merchantIdentifier,
    order: q.order,
    ...window,
  });
  return { items: rows.map(refundView), total, lastIndex: window.offset + rows.length };
}

/** CAMARA retrievePaymentRemainingAmount: what of the payment is not refunded (nor being refunded). */
export async function remainingAmount(ctx: Context, owner: PaymentOwner, paymentId: string) {
  const payment = await findOwnPayment(ctx.store, paymentId, owner);
  const merchantId = owner.id;
  const refunded = await ctx.store.refunds.refundedAmount(paymentId);
  const [certificate] = await ctx.store.certificates.ofPayment(merchantId, paymentId);
  const refundable = certificate?.balance_minor ?? 0n;
  return {
    amount: toDecimal(payment.amount_minor - refunded, payment.currency),
    currency: payment.currency,
    description:
      `Not refunded so far. Refundable now: ${toDecimal(refundable, payment.currency)} ${payment.currency} ` +
      "(the gift certificate's unspent balance).",
  };
}
