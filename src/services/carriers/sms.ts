import { maskPhoneNumber } from '../../domain/phone.js';
import { callWithRetries } from './calls.js';
import type { Context } from '../context.js';
import type { CarrierOutcome } from '../../ports/carrier.js';
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
  const outcome = await textPhoneUser(ctx, payment.carrier_id, payment.phone_number, text, purpose, {
    paymentId: payment.id,
  });
  if (outcome?.kind === 'succeeded') return true;
  await ctx.store.audit.record({
    paymentId: payment.id,
    merchantId: payment.merchant_id,
    actor: `carrier:${payment.carrier_id}`,
    event: 'sms_failed',
    detail: {
      purpose,
      outcome: outcome?.kind ?? 'no_carrier',
      ...(outcome?.kind === 'declined' ? { carrierCode: outcome.carrierCode } : {}),
    },
  });
  return false;
}

/** Texts a phone number through a carrier, counted and (when it fails) logged; how it went (undefined: no such carrier). */
export async function textPhoneUser(
  ctx: Context,
  carrierId: string,
  phoneNumber: string,
  text: string,
  purpose: string,
  logContext: Record<string, unknown> = {},
): Promise<CarrierOutcome<{ messageId: string }> | undefined> {
  const carrier = ctx.carriers.get(carrierId);
  if (!carrier) return undefined;
  const { outcome } = await callWithRetries(carrier.config.retry, () =>
    carrier.adapter.sendSms({ phoneNumber, senderName: carrier.config.smsSenderName, text }),
  );
  ctx.metrics.smsSent(carrier.config.id, purpose, outcome.kind === 'succeeded');
  if (outcome.kind !== 'succeeded') {
    ctx.log.warn(
      {
        ...logContext,
        phone: maskPhoneNumber(phoneNumber),
        purpose,
        outcome: outcome.kind,
        ...(outcome.kind === 'declined' ? { carrierCode: outcome.carrierCode } : {}),
      },
      'SMS not sent',
    );
  }
  return outcome;
}
