import { consentStatus } from '../../domain/consent.js';
import { toDecimal } from '../../domain/money.js';
import type { ConsentRecord } from '../../ports/store/consents.js';

/** A consent as its merchant sees it (CONTRACTS §6). */
export function consentView(c: ConsentRecord, now: Date) {
  const status = consentStatus(c.status, c.expires_at, now);
  const money = (minor: bigint) => ({ amount: toDecimal(minor, c.currency), currency: c.currency });
  return {
    consentId: c.id,
    phoneNumber: c.phone_number,
    description: c.description,
    maxAmountPerCharge: money(c.max_per_charge_minor),
    ...(c.max_per_month_minor !== null ? { maxAmountPerMonth: money(c.max_per_month_minor) } : {}),
    ...(c.expires_at ? { expiresAt: c.expires_at.toISOString() } : {}),
    status,
    ...(status === 'pending_validation'
      ? { validationInfo: { action: 'validate' as const, authorizationId: c.authorization_id } }
      : {}),
    createdAt: c.created_at.toISOString(),
    ...(c.activated_at ? { activatedAt: c.activated_at.toISOString() } : {}),
    ...(c.revoked_at ? { revokedAt: c.revoked_at.toISOString() } : {}),
    ...(c.sink ? { sink: c.sink } : {}),
  };
}

export type ConsentView = ReturnType<typeof consentView>;
