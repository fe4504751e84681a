import { consentStatus, type ConsentStatus } from '../../domain/consent.js';
import { errors } from '../../domain/errors.js';
import type { ConsentRecord } from '../../ports/store/consents.js';
import type { Context, MerchantPrincipal } from '../context.js';
import { consentView } from './view.js';

/** The merchant's own consent; another merchant's is CAMARA's 404, never 403. */
export async function ownConsent(
  ctx: Context,
  merchant: Pick<MerchantPrincipal, 'id'>,
  consentId: string,
): Promise<ConsentRecord> {
  const consent = await ctx.store.consents.find(consentId);
  if (!consent || consent.merchant_id !== merchant.id) throw errors.notFound('No such consent.');
  return consent;
}

export async function getConsent(ctx: Context, merchant: Pick<MerchantPrincipal, 'id'>, consentId: string) {
  return consentView(await ownConsent(ctx, merchant, consentId), ctx.clock.now());
}

export async function listConsents(
  ctx: Context,
  merchant: Pick<MerchantPrincipal, 'id'>,
  filter: { phoneNumber?: string; status?: ConsentStatus },
) {
  const now = ctx.clock.now();
  const rows = await ctx.store.consents.list({ merchantId: merchant.id, phoneNumber: filter.phoneNumber, limit: 200 });
  return rows
    .filter((c) => filter.status === undefined || consentStatus(c.status, c.expires_at, now) === filter.status)
    .map((c) => consentView(c, now));
}

/** The merchant withdraws a consent (CONTRACTS §6: `DELETE` → `revoked`). */
export async function revokeConsentAsMerchant(
  ctx: Context,
  merchant: Pick<MerchantPrincipal, 'id'>,
  consentId: string,
) {
  await ownConsent(ctx, merchant, consentId);
  const revoked = await ctx.store.consents.revoke(consentId, `merchant:${merchant.id}`, ctx.clock.now());
  if (!revoked) throw errors.notFound('No such consent.');
  await ctx.store.audit.recordAction({
    actor: `merchant:${merchant.id}`,
    event: 'consent_revoked',
    merchantId: merchant.id,
    detail: { consentId },
  });
  return consentView(revoked, ctx.clock.now());
}
