import { missing } from '../../ports/store/missing-row.js';
import type { Context, MerchantPrincipal } from '../context.js';
import { randomId } from '../keys.js';
import { lockOwnPayment, movedOnError } from './own-payment.js';
import { requireServedNumber } from './intake.js';
import { carryOutRelease } from './release-reservation.js';

/** CAMARA cancelPayment: end the payment `cancelled` and give the reservation back to the carrier. */
export async function cancelPayment(
  ctx: Context,
  merchant: MerchantPrincipal,
  paymentId: string,
  phoneNumber: string | undefined,
): Promise<void> {
  const number = await requireServedNumber(ctx, merchant, phoneNumber);
  const actor = `merchant:${merchant.id}`;
  const releaseId = randomId('op_');
  const cancelled = await ctx.store.transaction(async (tx) => {
    const current = await lockOwnPayment(tx, paymentId, merchant, number);
    // A payment held for a risk review may be called off too: its reservation goes back.
    if (!['pending_validation', 'held', 'reserved'].includes(current.status)) throw movedOnError(current, 'cancel');
    const ending = { event: 'cancel_requested' as const, releaseOperationId: releaseId };
    const audit = { actor, event: 'cancelled', fromStatus: current.status };
    return (await tx.payments.end(paymentId, ending, ctx.clock.now(), audit)) ?? missing('payments', paymentId);
  });
  await carryOutRelease(ctx, cancelled, releaseId, actor);
}
