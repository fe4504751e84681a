import type { PaymentStatus } from '../../domain/payment-state.js';
import type { CarrierOutcome } from '../../ports/carrier.js';
import { missing } from '../../ports/store/missing-row.js';
import type { PaymentRecord } from '../../ports/store/payments.js';
import type { Store } from '../../ports/store/store.js';
import { sendSms } from '../carriers/sms.js';
import { newCertificate } from '../certificates/issue.js';
import type { Context } from '../context.js';
import { randomId } from '../keys.js';
import { denialReasonOf } from './errors.js';
import { carryOutRelease } from './release-reservation.js';

/**
 * Records the carrier's answer to a charge (reservation charge or one-step charge) and does what
 * follows: on success the certificate and its SMS; on a decline the end of the payment; on an
 * unknown outcome nothing but the record, since the money may have moved.
 */
export async function settleCharge(
  ctx: Context,
  payment: PaymentRecord,
  operationId: string,
  result: { outcome: CarrierOutcome<unknown>; tries: number },
  merchantName: string,
  actor: string,
  /** Settled by recovery: the merchant already holds the payment id, so a refusal is `denied`. */
  late = false,
): Promise<PaymentRecord> {
  const { outcome, tries } = result;
  const now = ctx.clock.now();
  // A one-step payment refused while the merchant waits was never shown: it ends `rejected`.
  const hidden = payment.kind === 'one_step' && !late;
  let releaseId: string | undefined;
  let sms: string | undefined;

  const detail = {
    operationId,
    outcome: outcome.kind,
    ...(outcome.kind === 'declined' ? { carrierCode: outcome.carrierCode } : {}),
  };
  /** A success in one statement from `from`: the outcome, the new state, the certificate and the audit row. */
  const succeed = async (store: Store, from: PaymentStatus) => {
    const certificate = newCertificate(ctx, payment, merchantName, now);
    const succeeded = await store.payments.recordChargeSucceeded(
      payment.id,
      { from, operationId, tries, certificate: certificate.row },
      now,
      {
        actor,
        event: 'charged',
        fromStatus: from,
        smsText: certificate.auditText,
        detail: { ...detail, certificateId: certificate.row.id },
      },
    );
    if (succeeded) sms = certificate.text;
    return succeeded;
  };
  // The usual case needs no transaction: the payment is still as the caller saw it.
  const quick = outcome.kind === 'succeeded' ? await succeed(ctx.store, payment.status) : undefined;

  const settled =
    quick ??
    (await ctx.store.transaction(async (tx) => {
      // The payment before its operation: the order in which every writer takes both (no deadlock).
      // Recovery, the request and the statement may learn the same outcome; the first one settles.
      const current = await tx.payments.lock(payment.id);
      await tx.operations.recordOutcome(operationId, outcome, tries, now);
      if (!current || (current.status !== 'charging' && current.status !== 'manual_review')) {
        if (outcome.kind === 'succeeded' && current?.status === 'denied') {
          // The carrier charged a payment we already ended: never silently. People settle it.
          ctx.log.error({ paymentId: payment.id, operationId }, 'carrier applied a charge of a denied payment');
          const audit = { actor, event: 'charge_conflict', fromStatus: 'denied', detail };
          return (await tx.payments.recordLateCharge(payment.id, now, audit)) ?? current;
        }
        return current ?? payment;
      }
      const found = (changed: PaymentRecord | undefined) => changed ?? missing('payments', payment.id);
      if (outcome.kind === 'succeeded') return found(await succeed(tx, current.status));
      if (outcome.kind === 'unknown') {
        // The money may have moved: stay `charging` (CAMARA processing) for recovery to resolve.
        const audit = { actor, event: 'charge_outcome_unknown', fromStatus: current.status, detail };
        return found(await tx.payments.recordChargeUnknown(payment.id, now, audit));
      }
      // Definitely not charged. A two-step payment ends denied and gives its reservation back.
      releaseId = randomId('op_');
      const ending = {
        event: hidden ? ('one_step_declined' as const) : ('charge_declined' as const),
        denialReason: denialReasonOf(outcome),
        releaseOperationId: releaseId,
      };
      const audit = { actor, event: 'charge_refused', fromStatus: current.status, detail };
      return found(await tx.payments.end(payment.id, ending, now, audit));
    }));

  if (sms) await sendSms(ctx, settled, sms, 'gift_certificate');
  if (releaseId) await carryOutRelease(ctx, settled, releaseId, actor);
  return settled;
}
