import { errors } from '../domain/errors.js';
import { appendAudit, auditOfChange } from '../store/audit-repo.js';
import { intentOfChange } from '../store/operations-repo.js';
import { applyEvent, type PaymentRow } from '../store/payments-repo.js';
import { callWithRetries } from './carrier-calls.js';
import type { Context, MerchantPrincipal } from './context.js';
import { randomId } from './keys.js';
import { movedOnError, lockOwnPayment } from './payment-access.js';
import { refusalError } from './payment-errors.js';
import { settleCharge } from './settle-charge.js';
import { carryOutRelease, recordRelease } from './release-reservation.js';
import { limitBreach } from '../domain/spending-limits.js';
import { lockedSpending } from '../store/spending-repo.js';

/**
 * CAMARA confirmPayment: charge the reservation. The move to `charging` and the charge intent are
 * one transaction on the locked row, so of any number of concurrent confirms exactly one charges.
 */
export async function confirmPayment(
  ctx: Context,
  merchant: MerchantPrincipal,
  paymentId: string,
  phoneNumber: string | undefined,
): Promise<PaymentRow> {
  if (phoneNumber === undefined) throw errors.missingIdentifier();
  const actor = `merchant:${merchant.id}`;
  const claimed = await ctx.db.transaction(async (tx) => {
    const current = await lockOwnPayment(tx, paymentId, merchant.id, phoneNumber);
    if (current.status === 'pending_validation')
      throw errors.permissionDenied('The payment must be validated before it is confirmed.');
    if (current.status !== 'reserved') throw movedOnError(current, 'confirm');
    // The limits once more, in the transaction that records the charge.
    const now = ctx.clock.now();
    const committed = await lockedSpending(tx, current.phone_number, merchant, now, current.id);
    const carrierLimit = ctx.carriers.get(current.carrier_id)?.config.monthlyLimitMinor ?? 0;
    if (
      limitBreach(
        current.amount_minor,
        {
          monthlyPerPhoneMinor: carrierLimit,
          perPaymentMinor: ctx.config.limits.maxPaymentMinor,
          dailyPerMerchantMinor: merchant.dailyCapMinor,
        },
        committed,
      )
    ) {
      const denied = (await applyEvent(
        tx,
        paymentId,
        'limit_exceeded',
        { deadline_at: null, denial_reason: 'limit_exceeded' },
        now,
      )) as PaymentRow;
      await appendAudit(tx, {
        paymentId,
        merchantId: merchant.id,
        actor,
        event: 'limit_exceeded',
        fromStatus: 'reserved',
        toStatus: 'denied',
      });
      return { kind: 'denied' as const, denied, releaseId: await recordRelease(tx, denied) };
    }
    const operationId = randomId('op_');
    // The move to charging, its audit row and the charge's intent: one statement.
    const charging = (await applyEvent(tx, paymentId, 'confirm_requested', { deadline_at: null }, now, {
      also: [
        auditOfChange({ actor, event: 'confirm_requested', fromStatus: 'reserved', detail: { operationId } }),
        intentOfChange({ id: operationId, operation: 'charge_reservation' }),
      ],
    })) as PaymentRow;
    return { kind: 'charging' as const, payment: charging, operationId };
  });
  if (claimed.kind === 'denied') {
    await carryOutRelease(ctx, claimed.denied, claimed.releaseId, actor);
    throw errors.paymentDenied('Payment denied by business: the spending limit would be exceeded.');
  }
  const { payment, operationId } = claimed;

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
