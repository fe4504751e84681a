import { capsInWords, consentStatus } from '../../domain/consent.js';
import { errors } from '../../domain/errors.js';
import { formatForPeople } from '../../domain/money.js';
import { camaraStatus } from '../../domain/payment-state.js';
import { isBlocked, ownLimit } from '../../domain/phone-controls.js';
import { periodStarts } from '../../domain/spending-limits.js';
import { revokeGrant } from '../access/grant-tokens.js';
import type { Context } from '../context.js';
import { decrypt, sealedAt } from '../keys.js';
import { merchantName } from '../merchant-name.js';
import { isVisible } from '../payments/own-payment.js';

/** What the self-service page shows a signed-in phone user of their number (CONTRACTS §7). */
export interface SelfServiceView {
  phoneNumber: string;
  purchases: Array<{
    merchant: string;
    amount: string;
    description: string;
    status: string;
    at: Date;
    /** The gift certificate: its last characters only (the SMS has it whole), balance and state. */
    certificate?: { ending: string; balance: string; status: string };
  }>;
  consents: Array<{ id: string; merchant: string; description: string; caps: string; status: string }>;
  grants: Array<{ id: string; merchant: string; scopes: string[]; since: Date }>;
  subscriptions: Array<{
    id: string;
    merchant: string;
    description: string;
    amount: string;
    every: 'month' | 'week';
    next: Date | null;
    status: string;
  }>;
  blocked: boolean;
  unblockAt: Date | null;
  ownLimit: string | null;
}

export async function selfServiceView(ctx: Context, phoneNumber: string): Promise<SelfServiceView> {
  const now = ctx.clock.now();
  const [payments, consents, grants, subscriptions, controls] = await Promise.all([
    ctx.store.payments.list({
      phoneNumber,
      createdFrom: periodStarts(now).month,
      order: 'desc',
      limit: 100,
      offset: 0,
    }),
    ctx.store.consents.list({ phoneNumber, limit: 100 }),
    ctx.store.grants.listGrants({ phoneNumber, limit: 100 }),
    ctx.store.subscriptions.list({ phoneNumber, limit: 100 }),
    ctx.store.phoneControls.find(phoneNumber),
  ]);
  const nameOf = (merchantId: string) => merchantName(ctx, merchantId);
  const currency = ctx.config.currencies[0] ?? 'KRW';
  const limit = ownLimit(controls, now);
  return {
    phoneNumber,
    purchases: await Promise.all(
      payments.rows.filter(isVisible).map(async (p) => {
        const [certificate] =
          p.status === 'succeeded' ? await ctx.store.certificates.ofPayment(p.merchant_id, p.id) : [];
        return {
          merchant: await nameOf(p.merchant_id),
          amount: formatForPeople(p.amount_minor, p.currency),
          description: p.description,
          status: camaraStatus(p.status),
          at: p.created_at,
          ...(certificate
            ? {
                certificate: {
                  ending: decrypt(
                    ctx.keys.giftEncryption,
                    certificate.code_encrypted,
                    sealedAt.giftCode(certificate.id),
                  )
                    .replace(/-/g, '')
                    .slice(-4),
                  balance: formatForPeople(certificate.balance_minor, certificate.currency),
                  status: certificate.status,
                },
              }
            : {}),
        };
      }),
    ),
    consents: await Promise.all(
      consents
        .filter((c) => ['active', 'pending_validation'].includes(consentStatus(c.status, c.expires_at, now)))
        .map(async (c) => ({
          id: c.id,
          merchant: await nameOf(c.merchant_id),
          description: c.description,
          caps: capsInWords({
            currency: c.currency,
            maxPerChargeMinor: c.max_per_charge_minor,
            maxPerMonthMinor: c.max_per_month_minor,
            expiresAt: c.expires_at,
          }),
          status: consentStatus(c.status, c.expires_at, now),
        })),
    ),
    grants: await Promise.all(
      grants
        .filter((g) => g.revoked_at === null)
        .map(async (g) => ({ id: g.id, merchant: await nameOf(g.merchant_id), scopes: g.scopes, since: g.created_at })),
    ),
    subscriptions: await Promise.all(
      subscriptions
        .filter((s) => ['active', 'past_due', 'suspended'].includes(s.status))
        .map(async (s) => ({
          id: s.id,
          merchant: await nameOf(s.merchant_id),
          description: s.description,
          amount: formatForPeople(s.amount_minor, s.currency),
          every: s.period === 'P1M' ? ('month' as const) : ('week' as const),
          next: s.cancel_at_period_end ? null : s.next_charge_at,
          status: s.status,
        })),
    ),
    blocked: isBlocked(controls, now),
    unblockAt: controls?.unblockAt && controls.unblockAt > now ? controls.unblockAt : null,
    ownLimit: limit === null ? null : formatForPeople(limit, currency),
  };
}

/** The phone user withdraws a consent of their own number; another number's is not found. */
export async function revokeOwnConsent(ctx: Context, phoneNumber: string, consentId: string): Promise<void> {
  const consent = await ctx.store.consents.find(consentId);
  if (consent?.phone_number !== phoneNumber) throw errors.notFound('No such consent.');
  await ctx.store.consents.revoke(consentId, 'phone-user', ctx.clock.now());
}

/** The phone user cancels a subscription of their own number at once; another number's is not found. */
export async function cancelOwnSubscription(ctx: Context, phoneNumber: string, subscriptionId: string): Promise<void> {
  const subscription = await ctx.store.subscriptions.find(subscriptionId);
  if (subscription?.phone_number !== phoneNumber) throw errors.notFound('No such subscription.');
  await ctx.store.subscriptions.cancel(subscriptionId, 'phone-user', ctx.clock.now(), false);
}

/** The phone user takes back a merchant's three-legged access to their number; its tokens stop at once. */
export async function revokeOwnGrant(ctx: Context, phoneNumber: string, grantId: string): Promise<void> {
  const grant = await ctx.store.grants.findGrant(grantId);
  if (grant?.phone_number !== phoneNumber) throw errors.notFound('No such grant.');
  await revokeGrant(ctx, grantId, 'phone-user');
}
