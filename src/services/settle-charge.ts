import { appendAudit, auditOfChange } from '../store/audit-repo.js';
import { certificateOfChange } from '../store/certificates-repo.js';
import type { Queryable } from '../store/database.js';
import { outcomeWrite, recordOutcome } from '../store/operations-repo.js';
import type { PaymentStatus } from '../domain/payment-state.js';
import { applyEvent, lockPayment, updatePaymentFields, type PaymentRow } from '../store/payments-repo.js';
import type { CarrierOutcome } from '../ports/carrier.js';
import type { Context } from './context.js';
import { newCertificate } from './issue-certificate.js';
import { recordRelease, carryOutRelease } from './release-reservation.js';
import { sendSms } from './send-sms.js';
import { denialReasonOf } from './payment-errors.js';

/**
 * Records the carrier's answer to a charge (reservation charge or one-step charge) and does what
 * follows: on success the certificate and its SMS; on a decline the end of the payment; on an
 * unknown outcome nothing but the record, since the money may have moved.
 */
export async function settleCharge(
  ctx: Context,
  payment: PaymentRow,
  operationId: string,
  result: { outcome: CarrierOutcome<unknown>; tries: number },
  merchantName: string,
  actor: string,
  /** Settled by recovery: the merchant already holds the payment id, so a refusal is `denied`. */
  late = false,
): Promise<PaymentRow> {
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
  const succeed = async (db: Queryable, from: PaymentStatus) => {
    const certificate = newCertificate(ctx, payment, merchantName, now);
    const succeeded = await applyEvent(db, payment.id, 'charge_succeeded', { payment_date: now }, now, {
      from,
      also: [
        outcomeWrite(operationId, outcome, tries, now),
        certificateOfChange(certificate.row),
        auditOfChange({
          actor,
          event: 'charged',
          fromStatus: from,
          smsText: certificate.auditText,
          detail: { ...detail, certificateId: certificate.row.id },
        }),
      ],
    });
    if (succeeded) sms = certificate.text;
    return succeeded;
  };
  // The usual case needs no transaction: the payment is still as the caller saw it.
  const quick = outcome.kind === 'succeeded' ? await succeed(ctx.db, payment.status) : undefined;

  const settled =
    quick ??
    (await ctx.db.transaction(async (tx) => {
      // The payment before its operation: the order in which every writer takes both (no deadlock).
      // Recovery, the request and the statement may learn the same outcome; the first one settles.
      const current = await lockPayment(tx, payment.id);
      await recordOutcome(tx, operationId, outcome, tries, now);
      if (!current || (current.status !== 'charging' && current.status !== 'manual_review')) {
        if (outcome.kind === 'succeeded' && current?.status === 'denied') {
          // The carrier charged a payment we already ended: never silently. People settle it.
          ctx.log.error({ paymentId: payment.id, operationId }, 'carrier applied a charge of a denied payment');
          await appendAudit(tx, {
            paymentId: payment.id,
            merchantId: payment.merchant_id,
            actor,
            event: 'charge_conflict',
            fromStatus: 'denied',
            toStatus: 'manual_review',
            detail,
          });
          return (await applyEvent(tx, payment.id, 'late_charge_found', {}, now)) ?? current;
        }
        return current ?? payment;
      }
      if (outcome.kind === 'succeeded') return (await succeed(tx, current.status)) as PaymentRow;
      if (outcome.kind === 'unknown') {
        // The money may have moved: stay `charging` (CAMARA processing) for recovery to resolve.
        const updated = (await updatePaymentFields(tx, payment.id, {}, now)) as PaymentRow;
        await appendAudit(tx, {
          paymentId: payment.id,
          merchantId: payment.merchant_id,
          actor,
          event: 'charge_outcome_unknown',
          fromStatus: current.status,
          toStatus: current.status,
          detail,
        });
        return updated;
      }
      // Definitely not charged. A two-step payment ends denied and gives its reservation back.
      const reason = denialReasonOf(outcome);
      const updated = (await applyEvent(
        tx,
        payment.id,
        hidden ? 'one_step_declined' : 'charge_declined',
        { denial_reason: reason },
        now,
      )) as PaymentRow;
      releaseId = await recordRelease(tx, updated);
      await appendAudit(tx, {
        paymentId: payment.id,
        merchantId: payment.merchant_id,
        actor,
        event: 'charge_refused',
        fromStatus: current.status,
        toStatus: updated.status,
        detail,
      });
      return updated;
    }));

  if (sms) await sendSms(ctx, settled, sms, 'gift_certificate');
  if (releaseId) await carryOutRelease(ctx, settled, releaseId, actor);
  return settled;
}
