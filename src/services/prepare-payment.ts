import { appendAudit } from '../store/audit-repo.js';
import { applyEvent, type PaymentRow } from '../store/payments-repo.js';
import { callWithRetries } from './carrier-calls.js';
import { issueCode } from './consent-code.js';
import type { Context, MerchantPrincipal } from './context.js';
import { admitPayment, type PaymentRequest } from './payment-intake.js';
import { CARRIER_UNAVAILABLE, RATE_LIMITED, denialError } from './payment-errors.js';
import { paymentView } from './payment-view.js';
import { mayReceiveCode } from './send-allowance.js';
import { sendSms } from './send-sms.js';

/**
 * CAMARA preparePayment: reserve the amount at the carrier, then text the phone user a code.
 * A refused reservation leaves no payment id and sends no SMS.
 */
export async function preparePayment(ctx: Context, merchant: MerchantPrincipal, body: PaymentRequest) {
  const admission = await admitPayment(ctx, merchant, body, 'two_step');
  if (!admission.fresh) return replay(admission.payment);

  const { payment, carrier } = admission;
  const reject = async (reason: string, actor: string, detail: Record<string, unknown>) => {
    await ctx.db.transaction(async (tx) => {
      await applyEvent(tx, payment.id, 'reservation_declined', { denial_reason: reason }, ctx.clock.now());
      await appendAudit(tx, { paymentId: payment.id, merchantId: merchant.id, actor, event: 'prepare_refused', fromStatus: 'reserving', toStatus: 'rejected', detail });
    });
    return denialError(reason);
  };
  if (!(await mayReceiveCode(ctx, payment.phone_number))) throw await reject(RATE_LIMITED, 'gateway', { limit: 'sendsPerPhonePerHour' });

  const { outcome } = await callWithRetries(carrier.config.retry, () =>
    carrier.adapter.reserveAmount({ phoneNumber: payment.phone_number, amountMinor: payment.amount_minor, currency: payment.currency, description: payment.description }),
  );
  if (outcome.kind !== 'succeeded') {
    // Nothing was reserved, or an unconfirmed reservation lapses at the carrier; no money moved.
    throw await reject(outcome.kind === 'declined' ? outcome.reason : CARRIER_UNAVAILABLE, `carrier:${carrier.config.id}`, {
      outcome: outcome.kind,
      ...(outcome.kind === 'declined' ? { carrierCode: outcome.carrierCode } : {}),
    });
  }

  const now = ctx.clock.now();
  const code = issueCode(ctx, merchant, payment, now);
  const pending = await ctx.db.transaction(async (tx) => {
    const updated = await applyEvent(tx, payment.id, 'reservation_succeeded', { ...code.changes, reservation_id: outcome.value.reservationId }, now);
    await appendAudit(tx, {
      paymentId: payment.id, merchantId: merchant.id, actor: `merchant:${merchant.id}`, event: 'code_sent',
      fromStatus: 'reserving', toStatus: 'pending_validation', smsText: code.auditText, detail: { send: 1 },
    });
    return updated as PaymentRow;
  });
  await sendSms(ctx, pending, code.text, 'consent_code');
  return replay(pending);
}

function replay(payment: PaymentRow) {
  if (payment.status === 'rejected') throw denialError(payment.denial_reason);
  return {
    ...paymentView(payment),
    ...(payment.authorization_id ? { validationInfo: { action: 'validate' as const, authorizationId: payment.authorization_id } } : {}),
  };
}
