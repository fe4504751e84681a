import { errors, type ApiError } from '../../domain/errors.js';
import { isBlocked, monthlyLimitOfNumber } from '../../domain/phone-controls.js';
import { limitBreach } from '../../domain/spending-limits.js';
import { consentBreach } from '../consents/breach.js';
import { categoryCapBreach } from './category-cap.js';
import { missing } from '../../ports/store/missing-row.js';
import type { PaymentRecord } from '../../ports/store/payments.js';
import { callWithRetries } from '../carriers/calls.js';
import type { Context, MerchantPrincipal } from '../context.js';
import { randomId } from '../keys.js';
import { lockOwnPayment, movedOnError } from './own-payment.js';
import { requireServedNumber } from './intake.js';
import { refusalError } from './errors.js';
import { carryOutRelease } from './release-reservation.js';
import { settleCharge } from './settle-charge.js';

/**
 * CAMARA confirmPayment: charge the reservation. The move to `charging` and the charge intent are
 * one transaction on the locked row, so of any number of concurrent confirms exactly one charges.
 */
export async function confirmPayment(
  ctx: Context,
  merchant: MerchantPrincipal,
  paymentId: string,
  phoneNumber: string | undefined,
): Promise<PaymentRecord> {
  const number = await requireServedNumber(ctx, merchant, phoneNumber);
  const actor = `merchant:${merchant.id}`;
  const operationId = randomId('op_');
  const claimed = await ctx.store.transaction(async (tx) => {
    const current = await lockOwnPayment(tx, paymentId, merchant, number);
    if (current.status === 'pending_validation')
      throw errors.permissionDenied('The payment must be validated before it is confirmed.');
    if (current.status !== 'reserved') throw movedOnError(current, 'confirm');
    // The limits once more, in the transaction that records the charge.
    const now = ctx.clock.now();
    const committed = await tx.payments.lockSpending(current.phone_number, merchant, now, current.id);
    // The phone user's word since the reservation counts too: a block, a lower own limit, a
    // consent taken back (a payment reserved under it is not charged after a STOP).
    const controls = await tx.phoneControls.find(current.phone_number);
    const limits = {
      monthlyPerPhoneMinor: monthlyLimitOfNumber(
        ctx.carriers.get(current.carrier_id)?.config.monthlyLimitMinor ?? 0,
        controls,
        now,
      ),
      perPaymentMinor: merchant.limits.maxPaymentMinor ?? ctx.config.limits.maxPaymentMinor,
      dailyPerMerchantMinor: merchant.dailyCapMinor,
    };
    const consentRefusal =
      current.consent_id === null
        ? undefined
        : await consentBreach(
            tx,
            current.consent_id,
            { phoneNumber: current.phone_number, amountMinor: current.amount_minor, paymentId: current.id },
            now,
          );
    const refusal: { reason: string; error: ApiError } | undefined = isBlocked(controls, now)
      ? { reason: 'blocked_by_phone_user', error: errors.paymentDenied('The phone user has blocked carrier billing.') }
      : consentRefusal
        ? { reason: 'consent_not_in_force', error: consentRefusal }
        : limitBreach(current.amount_minor, limits, committed) ||
            (await categoryCapBreach(
              ctx,
              tx,
              merchant,
              { phoneNumber: current.phone_number, amountMinor: current.amount_minor, paymentId: current.id },
              now,
            ))
          ? {
              reason: 'limit_exceeded',
              error: errors.paymentDenied('Payment denied by business: the spending limit would be exceeded.'),
            }
          : undefined;
    if (refusal) {
      const releaseId = randomId('op_');
      const ending = { event: 'limit_exceeded' as const, denialReason: refusal.reason, releaseOperationId: releaseId };
      const audit = { actor, event: 'limit_exceeded', fromStatus: 'reserved', detail: { reason: refusal.reason } };
      const denied = (await tx.payments.end(paymentId, ending, now, audit)) ?? missing('payments', paymentId);
      return { kind: 'denied' as const, payment: denied, releaseId, refusal: refusal.error };
    }
    // The move to charging, its audit row and the charge's intent: one statement.
    const audit = { actor, event: 'confirm_requested', fromStatus: 'reserved', detail: { operationId } };
    const charging =
      (await tx.payments.recordChargeRequested(paymentId, operationId, now, audit)) ?? missing('payments', paymentId);
    return { kind: 'charging' as const, payment: charging };
  });
  if (claimed.kind === 'denied') {
    await carryOutRelease(ctx, claimed.payment, claimed.releaseId, actor);
    throw claimed.refusal;
  }
  const payment = claimed.payment;

  const carrier = ctx.carriers.get(payment.carrier_id);
  if (!carrier) throw new Error(`carrier ${payment.carrier_id} is no longer configured`);
  const reservationId = payment.reservation_id ?? '';
  const result = await callWithRetries(carrier.config.retry, () =>
    carrier.adapter.chargeReservation({
      reservationId,
      phoneNumber: payment.phone_number,
      amountMinor: payment.amount_minor,
      currency: payment.currency,
      description: payment.description,
      reference: operationId,
    }),
  );
  const settled = await settleCharge(ctx, payment, operationId, result, merchant.name, actor);
  if (settled.status === 'denied') throw refusalError(settled.denial_reason);
  return settled;
}
