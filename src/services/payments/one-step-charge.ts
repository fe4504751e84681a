import type { PaymentRecord } from '../../ports/store/payments.js';
import { callWithRetries } from '../carriers/calls.js';
import type { Context } from '../context.js';
import type { Admission } from './intake.js';
import { settleCharge } from './settle-charge.js';

/**
 * Charges a one-step payment just admitted (its intent written with it, under `operationId`) and
 * settles the outcome. `late`: the merchant already holds the payment's id (asynchronous mode, a
 * subscription's list of charges), so a refusal ends it visibly `denied`, not `rejected`.
 */
export async function chargeAdmitted(
  ctx: Context,
  admission: Extract<Admission, { fresh: true }>,
  operationId: string,
  charger: { merchantName: string; actor: string; late: boolean },
): Promise<PaymentRecord> {
  const { payment, carrier } = admission;
  const result = await callWithRetries(carrier.config.retry, () =>
    carrier.adapter.chargeAmount({
      phoneNumber: payment.phone_number,
      amountMinor: payment.amount_minor,
      currency: payment.currency,
      description: payment.description,
      reference: operationId,
    }),
  );
  return settleCharge(ctx, payment, operationId, result, charger.merchantName, charger.actor, charger.late);
}
