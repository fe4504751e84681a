import { maskPhoneNumber } from '../../domain/phone.js';
import { callWithRetries } from './calls.js';
import type { Context } from '../context.js';
import type { PaymentRecord } from '../../ports/store/payments.js';

/**
 * Texts the phone user through the payment's carrier. The SMS is recorded in the audit trail
 * before this is called; a failure is recorded too, and never undoes the payment's state.
 */
export async function sendSms(
  ctx: Context,
  payment: PaymentRecord,
  text: string,
  purpose: 'consent_code' | 'gift_certificate',
): Promise<boolean> {
  const carrier = ctx.carriers.get(payment.carrier_id);
  if (!carrier) return false;
  const { outcome } = await callWithRetries(carrier.config.retry, () =>
    carrier.adapter.sendSms({ phoneNumber: payment.phone_number, senderName: carrier.config.smsSenderName, text }),
  );
  ctx.metrics.smsSent(carrier.config.id, purpose, outcome.kind === 'succeeded');
  if (outcome.kind === 'succeeded') return true;
  ctx.log.warn(
    { paymentId: payment.id, phone: maskPhoneNumber(payment.phone_number), purpose, outcome: outcome.kind },
    'SMS not sent',
  );
  await ctx.store.audit.record({
    paymentId: payment.id,
    merchantId: payment.merchant_id,
    actor: `carrier:${payment.carrier_id}`,
    event: 'sms_failed',
    detail: {
      purpose,
      outcome: outcome.kind,
      ...(outcome.kind === 'declined' ? { carrierCode: outcome.carrierCode } : {}),
    },
  });
  return false;
}
