import { errors } from '../../domain/errors.js';
import { pageWindow } from '../paging.js';
import {
  internalStatusesFor,
  PAYMENT_STATUSES,
  type CamaraStatus,
  type PaymentStatus,
} from '../../domain/payment-state.js';
import { toDecimal } from '../../domain/money.js';
import type { Context } from '../context.js';
import { paymentView } from '../payments/view.js';
import { MAX_PER_PAGE } from '../payments/query.js';

export interface OperatorPaymentQuery {
  phoneNumber?: string;
  merchantId?: string;
  status?: string;
  from?: Date;
  to?: Date;
  page: number;
  perPage: number;
}

/** Any merchant's payments; `status` may be a CAMARA status or one of the gateway's own states. */
export async function searchPayments(ctx: Context, q: OperatorPaymentQuery) {
  const statuses =
    q.status === undefined
      ? undefined
      : (PAYMENT_STATUSES as string[]).includes(q.status)
        ? [q.status as PaymentStatus]
        : internalStatusesFor(q.status as CamaraStatus);
  const [{ rows, total }, merchants] = await Promise.all([
    ctx.store.payments.list({
      merchantId: q.merchantId,
      phoneNumber: q.phoneNumber,
      statuses,
      createdFrom: q.from,
      createdTo: q.to,
      order: 'desc',
      ...pageWindow(q.page, q.perPage, MAX_PER_PAGE),
    }),
    ctx.store.merchants.list(),
  ]);
  const names = new Map(merchants.map((m) => [m.id, m.name]));
  return {
    total,
    payments: rows.map((p) => ({
      ...paymentView(p),
      merchantId: p.merchant_id,
      merchantName: names.get(p.merchant_id) ?? '',
      amount: { amount: toDecimal(p.amount_minor, p.currency), currency: p.currency },
      carrierId: p.carrier_id,
      status: p.status,
    })),
  };
}

/** One payment with its carrier operations and its audit trail, oldest first. */
export async function paymentTimeline(ctx: Context, paymentId: string) {
  const payment = await ctx.store.payments.find(paymentId);
  if (!payment) throw errors.notFound();
  const [operations, audit] = await Promise.all([
    ctx.store.operations.ofPayment(paymentId),
    ctx.store.audit.trail(paymentId),
  ]);
  return {
    ...paymentView(payment),
    merchantId: payment.merchant_id,
    carrierId: payment.carrier_id,
    status: payment.status,
    denialReason: payment.denial_reason,
    ...(payment.consent_id !== null ? { consentId: payment.consent_id } : {}),
    ...(payment.risk_decision !== null
      ? { risk: { decision: payment.risk_decision, reasons: payment.risk_reasons ?? [] } }
      : {}),
    operations: operations.map((o) => ({
      operationId: o.id,
      operation: o.operation,
      outcome: o.outcome,
      detail: o.detail,
      tries: o.tries,
    })),
    timeline: audit.map((a) => ({
      at: a.created_at.toISOString(),
      actor: a.actor,
      event: a.event,
      fromStatus: a.from_status,
      toStatus: a.to_status,
      ...(a.sms_text ? { smsText: a.sms_text } : {}),
      ...(a.detail ? { detail: a.detail } : {}),
    })),
  };
}
