import { checkAgreementCode } from '../agreements/code.js';
import { errors } from '../../domain/errors.js';
import type { SubscriptionRecord } from '../../ports/store/subscriptions.js';
import type { Context, MerchantPrincipal } from '../context.js';
import { chargePeriod } from './renew.js';
import { subscriptionView } from './view.js';

/** How long the first charge may hold the subscription (the charge's own call budget is far less). */
const FIRST_CHARGE_LEASE_MS = 5 * 60_000;

/** The merchant's own subscription; another merchant's is CAMARA's 404, never 403. */
async function ownSubscription(ctx: Context, merchant: Pick<MerchantPrincipal, 'id'>, id: string) {
  const subscription = await ctx.store.subscriptions.find(id);
  if (!subscription || subscription.merchant_id !== merchant.id) throw errors.notFound('No such subscription.');
  return subscription;
}

/**
 * The phone user's code for a subscription, with a payment code's rules; a right one makes it
 * active and charges its first period at once (the answer says how that went).
 */
export async function validateSubscription(
  ctx: Context,
  merchant: Pick<MerchantPrincipal, 'id'>,
  id: string,
  input: { authorizationId: string; code: string },
) {
  const s = await ownSubscription(ctx, merchant, id);
  const given = await checkAgreementCode(ctx, 'subscription', merchant.id, s, input, ctx.store.subscriptions);
  const now = ctx.clock.now();
  const active = await ctx.store.subscriptions.activate(
    s.id,
    given,
    now,
    new Date(now.getTime() + FIRST_CHARGE_LEASE_MS),
  );
  if (!active) throw errors.alreadyExists('Subscription has moved on.');
  const after = (await chargePeriod(ctx, active)) ?? active;
  return withCharges(ctx, after);
}

export async function getSubscription(ctx: Context, merchant: Pick<MerchantPrincipal, 'id'>, id: string) {
  return withCharges(ctx, await ownSubscription(ctx, merchant, id));
}

export async function listSubscriptions(ctx: Context, merchant: Pick<MerchantPrincipal, 'id'>, phoneNumber?: string) {
  const rows = await ctx.store.subscriptions.list({ merchantId: merchant.id, phoneNumber, limit: 200 });
  return rows.map((s) => subscriptionView(s));
}

/** The merchant cancels: now, or at the end of the period already paid (CONTRACTS §6). */
export async function cancelSubscription(
  ctx: Context,
  merchant: Pick<MerchantPrincipal, 'id'>,
  id: string,
  atPeriodEnd: boolean,
) {
  await ownSubscription(ctx, merchant, id);
  const s = await ctx.store.subscriptions.cancel(id, `merchant:${merchant.id}`, ctx.clock.now(), atPeriodEnd);
  if (!s) throw errors.notFound('No such subscription.');
  await ctx.store.audit.recordAction({
    actor: `merchant:${merchant.id}`,
    event: atPeriodEnd ? 'subscription_cancelled_at_period_end' : 'subscription_cancelled',
    merchantId: merchant.id,
    detail: { subscriptionId: id },
  });
  return subscriptionView(s);
}

async function withCharges(ctx: Context, s: SubscriptionRecord) {
  return subscriptionView(s, await ctx.store.subscriptions.charges(s.id));
}
