import { errors } from '../../domain/errors.js';
import { maskPhoneNumber } from '../../domain/phone.js';
import { actorOf, requireAdmin, type Context, type OperatorPrincipal } from '../context.js';
import type { ConsentRecord } from '../../ports/store/consents.js';
import { consentView } from './view.js';

/** Consents as operators see them: any merchant's, by number or merchant, with whom they are for. */
export async function consentsForOperator(ctx: Context, filter: { phoneNumber?: string; merchantId?: string }) {
  const now = ctx.clock.now();
  const rows = await ctx.store.consents.list({ ...filter, limit: 200 });
  return rows.map((c) => operatorConsentView(c, now));
}

/** A consent with what only operators see: its merchant, and who revoked it. */
export function operatorConsentView(c: ConsentRecord, now: Date) {
  return { ...consentView(c, now), merchantId: c.merchant_id, ...(c.revoked_by ? { revokedBy: c.revoked_by } : {}) };
}

/** An operator ends a consent (a complaint, a lost phone); the audit trail names who. */
export async function revokeConsentAsOperator(ctx: Context, by: OperatorPrincipal, consentId: string) {
  requireAdmin(by);
  const before = await ctx.store.consents.find(consentId);
  if (!before) throw errors.notFound('No such consent.');
  // Ended already (by the phone user, say): nothing to do, nothing to audit.
  if (before.status !== 'active' && before.status !== 'pending_validation')
    return operatorConsentView(before, ctx.clock.now());
  const consent = await ctx.store.consents.revoke(consentId, actorOf(by), ctx.clock.now());
  if (!consent) throw errors.notFound('No such consent.');
  await ctx.store.audit.recordAction({
    actor: actorOf(by),
    event: 'consent_revoked',
    merchantId: consent.merchant_id,
    detail: { by: by.name, consentId, phoneNumber: maskPhoneNumber(consent.phone_number) },
  });
  return operatorConsentView(consent, ctx.clock.now());
}
