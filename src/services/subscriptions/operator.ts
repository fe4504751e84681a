import { errors } from '../../domain/errors.js';
import { maskPhoneNumber } from '../../domain/phone.js';
import type { SubscriptionRecord } from '../../ports/store/subscriptions.js';
import { actorOf, requireAdmin, type Context, type OperatorPrincipal } from '../context.js';
import { subscriptionView } from './view.js';

/** A subscription with what only operators see: its merchant, and who cancelled it. */
export function operatorSubscriptionView(s: SubscriptionRecord) {
  return {
    ...subscriptionView(s),
    merchantId: s.merchant_id,
    ...(s.cancelled_by ? { cancelledBy: s.cancelled_by } : {}),
  };
}

/** Subscriptions as operators see them: any merchant's, by number or merchant. */
export async function subscriptionsForOperator(ctx: Context, filter: { phoneNumber?: string; merchantId?: string }) {
  return (await ctx.store.subscriptions.list({ ...filter, limit: 200 })).map(operatorSubscriptionView);
}

/** An operator cancels a subscription at once (a complaint, a lost phone); the audit trail names who. */
export async function cancelSubscriptionAsOperator(ctx: Context, by: OperatorPrincipal, subscriptionId: string) {
  requireAdmin(by);
  const before = await ctx.store.subscriptions.find(subscriptionId);
  if (!before) throw errors.notFound('No such subscription.');
  // Ended already (by the phone user, say): nothing to do, nothing to audit.
  if (before.status === 'cancelled' || before.status === 'denied') return operatorSubscriptionView(before);
  const s = await ctx.store.subscriptions.cancel(subscriptionId, actorOf(by), ctx.clock.now(), false);
  if (!s) throw errors.notFound('No such subscription.');
  await ctx.store.audit.recordAction({
    actor: actorOf(by),
    event: 'subscription_cancelled',
    merchantId: s.merchant_id,
    detail: { by: by.name, subscriptionId, phoneNumber: maskPhoneNumber(s.phone_number) },
  });
  return operatorSubscriptionView(s);
}
