import { errors } from '../../domain/errors.js';
import { internalStatusesFor, type CamaraStatus } from '../../domain/payment-state.js';
import type { Context } from '../context.js';
import { findOwnPayment, type PaymentOwner } from './own-payment.js';
import { pageWindow } from '../paging.js';
import { paymentView } from './view.js';

export async function retrievePayment(ctx: Context, owner: PaymentOwner, paymentId: string) {
  return paymentView(await findOwnPayment(ctx.store, paymentId, owner));
}

export interface PaymentQuery {
  page: number;
  perPage: number;
  from?: Date;
  to?: Date;
  order: 'asc' | 'desc';
  statuses?: CamaraStatus[];
  merchantIdentifier?: string;
}

/** Maximum page size; CAMARA's OUT_OF_RANGE above it. */
export const MAX_PER_PAGE = 100;

/**
 * CAMARA retrievePayments: the merchant's payments (only its phone user's under a three-legged
 * token), filtered, ordered by creation, paginated.
 */
export async function retrievePayments(ctx: Context, owner: PaymentOwner, q: PaymentQuery) {
  const window = pageWindow(q.page, q.perPage, MAX_PER_PAGE);
  const to = q.to ?? (q.from ? ctx.clock.now() : undefined);
  if (q.from && to && q.from > to) throw errors.invalidDateRange();
  const { rows, total } = await ctx.store.payments.list({
    merchantId: owner.id,
    ...(owner.phoneUser ? { phoneNumber: owner.phoneUser.phoneNumber } : {}),
    statuses: q.statuses?.flatMap(internalStatusesFor),
    createdFrom: q.from,
    createdTo: to,
    chargingMerchantIdentifier: q.merchantIdentifier,
    order: q.order,
    ...window,
  });
  return { items: rows.map(paymentView), total, lastIndex: window.offset + rows.length };
}
