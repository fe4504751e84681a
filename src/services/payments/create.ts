import { errors } from '../../domain/errors.js';
import type { Context, MerchantPrincipal } from '../context.js';
import { randomId } from '../keys.js';
import { admitPayment, type PaymentRequest } from './intake.js';
import { visibleView } from './view.js';
import { chargeAdmitted } from './one-step-charge.js';
import { consentCovering } from '../consents/cover.js';

/**
 * CAMARA createPayment (one step, no code): charge at once. Only for merchants onboarded with
 * `oneStepPayments`, or under the phone user's standing consent (within its caps), since the
 * phone user gives no code.
 */
export async function createPayment(ctx: Context, merchant: MerchantPrincipal, body: PaymentRequest) {
  const consent = merchant.oneStepPayments ? undefined : await consentCovering(ctx, merchant, body);
  if (!merchant.oneStepPayments && !consent)
    throw errors.permissionDenied("This merchant is not allowed one-step payments without the phone user's consent.");
  // The charge's intent is written with the payment itself.
  const operationId = randomId('op_');
  const admission = await admitPayment(ctx, merchant, body, 'one_step', { chargeOperationId: operationId, consent });
  if (!admission.fresh) return visibleView(admission.payment);
  const { payment } = admission;
  const charge = () =>
    chargeAdmitted(ctx, admission, operationId, {
      merchantName: merchant.name,
      actor: `merchant:${merchant.id}`,
      late: payment.completes_async,
    });
  if (payment.completes_async) {
    // `processing` now, the outcome by notification. The charge's intent is committed with the
    // payment: should this process die before the carrier answers, recovery settles it.
    ctx.background.run(charge(), { paymentId: payment.id });
    return visibleView(payment);
  }
  return visibleView(await charge());
}
