import { errors } from '../domain/errors.js';
import { appendAudit } from '../store/audit-repo.js';
import { recordIntent } from '../store/operations-repo.js';
import { applyEvent, type PaymentRow } from '../store/payments-repo.js';
import { callWithRetries } from './carrier-calls.js';
import type { Context, MerchantPrincipal } from './context.js';
import { randomId } from './keys.js';
import { movedOnError, lockOwnPayment } from './payment-access.js';
import { refusalError } from './payment-errors.js';
import { settleCharge } from './settle-charge.js';

/**
 * CAMARA confirmPayment: charge the reservation. The move to `charging` and the charge intent are
 * one transaction on the locked row, so of any number of concurrent confirms exactly one charges.
 */
export async function confirmPayment(ctx: Context, merchant: MerchantPrincipal, paymentId: string, phoneNumber: string | undefined): Promise<PaymentRow> {
  if (phoneNumber === undefined) throw errors.missingIdentifier();
  const actor = `merchant:${merchant.id}`;
  const { payment, operationId } = await ctx.db.transaction(async (tx) => {
    const current = await lockOwnPayment(tx, paymentId, merchant.id, phoneNumber);
    if (current.status === 'pending_validation') throw errors.permissionDenied('The payment must be validated before it is confirmed.');
    if (current.status !== 'reserved') throw movedOnError(current, 'confirm');
    const charging = (await applyEvent(tx, paymentId, 'confirm_requested', { deadline_at: null }, ctx.clock.now())) as PaymentRow;
    const op = await recordIntent(tx, { id: randomId('op_'), payment_id: paymentId, carrier_id: charging.carrier_id, operation: 'charge_reservation', amount_minor: charging.amount_minor, currency: charging.currency });
    await appendAudit(tx, { paymentId, merchantId: merchant.id, actor, event: 'confirm_requested', fromStatus: 'reserved', toStatus: 'charging', detail: { operationId: op.id } });
    return { payment: charging, operationId: op.id };
  });

  const carrier = ctx.carriers.get(payment.carrier_id);
  if (!carrier) throw new Error(`carrier ${payment.carrier_id} is no longer configured`);
  const reservationId = payment.reservation_id ?? '';
  const result = await callWithRetries(carrier.config.retry, () =>
    carrier.adapter.chargeReservation({ reservationId, phoneNumber: payment.phone_number, amountMinor: payment.amount_minor, currency: payment.currency, description: payment.description, reference: operationId }),
  );
  const settled = await settleCharge(ctx, payment, operationId, result, merchant.name, actor);
  if (settled.status === 'denied') throw refusalError(settled.denial_reason);
  return settled;
}
