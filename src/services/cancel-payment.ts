import { errors } from '../domain/errors.js';
import { appendAudit } from '../store/audit-repo.js';
import { applyEvent, type PaymentRow } from '../store/payments-repo.js';
import type { Context, MerchantPrincipal } from './context.js';
import { movedOnError, lockOwnPayment } from './payment-access.js';
import { carryOutRelease, recordRelease } from './release-reservation.js';

/** CAMARA cancelPayment: end the payment `cancelled` and give the reservation back to the carrier. */
export async function cancelPayment(
  ctx: Context,
  merchant: MerchantPrincipal,
  paymentId: string,
  phoneNumber: string | undefined,
): Promise<void> {
  if (phoneNumber === undefined) throw errors.missingIdentifier();
  const actor = `merchant:${merchant.id}`;
  const { payment, operationId } = await ctx.db.transaction(async (tx) => {
    const current = await lockOwnPayment(tx, paymentId, merchant.id, phoneNumber);
    if (current.status !== 'pending_validation' && current.status !== 'reserved') throw movedOnError(current, 'cancel');
    const cancelled = (await applyEvent(
      tx,
      paymentId,
      'cancel_requested',
      { deadline_at: null, otp_digest: null },
      ctx.clock.now(),
    )) as PaymentRow;
    await appendAudit(tx, {
      paymentId,
      merchantId: merchant.id,
      actor,
      event: 'cancelled',
      fromStatus: current.status,
      toStatus: 'cancelled',
    });
    return { payment: cancelled, operationId: await recordRelease(tx, cancelled) };
  });
  await carryOutRelease(ctx, payment, operationId, actor);
}
