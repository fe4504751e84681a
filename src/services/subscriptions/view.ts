import { toDecimal } from '../../domain/money.js';
import { camaraStatus, type PaymentStatus } from '../../domain/payment-state.js';
import type { SubscriptionRecord } from '../../ports/store/subscriptions.js';

/** A subscription as its merchant sees it (CONTRACTS §6), with its charges when given. */
export function subscriptionView(
  s: SubscriptionRecord,
  charges?: Array<{ payment_id: string; period: number; status: string }>,
) {
  return {
    subscriptionId: s.id,
    phoneNumber: s.phone_number,
    description: s.description,
    amount: { amount: toDecimal(s.amount_minor, s.currency), currency: s.currency },
    period: s.period,
    status: s.status,
    ...(s.status === 'pending_validation'
      ? { validationInfo: { action: 'validate' as const, authorizationId: s.authorization_id } }
      : {}),
    ...(s.next_charge_at && (s.status === 'active' || s.status === 'past_due') && !s.cancel_at_period_end
      ? { nextChargeAt: s.next_charge_at.toISOString() }
      : {}),
    ...(s.cancel_at_period_end ? { cancelsAt: s.next_charge_at?.toISOString() } : {}),
    createdAt: s.created_at.toISOString(),
    ...(s.cancelled_at ? { cancelledAt: s.cancelled_at.toISOString() } : {}),
    ...(charges
      ? {
          charges: charges.map((c) => ({
            paymentId: c.payment_id,
            period: c.period,
            status: camaraStatus(c.status as PaymentStatus),
          })),
        }
      : {}),
  };
}
