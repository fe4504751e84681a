import { ApiError, errors } from '../../domain/errors.js';
import type { PaymentRecord } from '../../ports/store/payments.js';
import { callWithRetries } from '../carriers/calls.js';
import { issueCode } from './consent-code.js';
import type { Context, MerchantPrincipal } from '../context.js';
import { admitPayment, type Admission, type PaymentRequest } from './intake.js';
import { denialReasonOf, refusalError } from './errors.js';
import { visibleView } from './view.js';
import { reserveCodeSend, type CodeSend } from './send-allowance.js';
import { sendSms } from '../carriers/sms.js';
import { keyedDigest, randomId } from '../keys.js';
import { reservationReferenceOf } from './reservation-reference.js';
import { consentCovering } from '../consents/cover.js';

/**
 * CAMARA preparePayment: reserve the amount at the carrier, then text the phone user a code.
 * A refused reservation leaves no payment id and sends no SMS. For an asynchronous merchant
 * (CAMARA's async behaviour) the answer is `processing` at once, with the id and the validation
 * info; the reservation and the SMS follow in the background, and the outcome is notified
 * (`payment-pending-validation`, or `payment-denied`).
 */
export async function preparePayment(ctx: Context, merchant: MerchantPrincipal, body: PaymentRequest) {
  // The code send is reserved before the payment is written; a prepare that ends without sending
  // one (a repetition, a refusal, an error) gives it back.
  const allowance: { send?: CodeSend; used?: boolean } = {};
  const giveBackUnused = async () => {
    if (!allowance.used) await allowance.send?.giveBack();
  };
  let handedOver = false;
  try {
    // Under the phone user's standing consent no code is asked (CAMARA's prepare without validation).
    const consent = await consentCovering(ctx, merchant, body);
    const admission = await admitPayment(ctx, merchant, body, 'two_step', {
      consent,
      // A risky consent payment asks for a code after all.
      mayStepUp: true,
      mayAdmit: async (phone) => (allowance.send = await reserveCodeSend(ctx, phone, merchant)) !== undefined,
    });
    if (!admission.fresh) return replay(admission.payment, pageOf(ctx, merchant, admission.payment));
    if (!admission.payment.completes_async) return await reserveAndText(ctx, merchant, admission, allowance);
    handedOver = true;
    const inBackground = reserveAndText(ctx, merchant, admission, allowance)
      .catch((error: unknown) => {
        // A refusal is an outcome (the payment ended denied, and the merchant is notified), not a failure.
        if (!(error instanceof ApiError)) throw error;
      })
      .finally(giveBackUnused);
    ctx.background.run(inBackground, { paymentId: admission.payment.id });
    return replay(admission.payment, pageOf(ctx, merchant, admission.payment));
  } finally {
    if (!handedOver) await giveBackUnused();
  }
}

/** The confirmation page's address in "open" mode, from PUBLIC_URL only (never a request's Host header, which the client chooses). */
function pageOf(ctx: Context, merchant: MerchantPrincipal, payment: PaymentRecord): string | undefined {
  return merchant.validationMode === 'open' && payment.consent_id === null
    ? `${ctx.config.publicUrl ?? ''}/pay/${pageToken(ctx, payment.id)}`
    : undefined;
}

async function reserveAndText(
  ctx: Context,
  merchant: MerchantPrincipal,
  admission: Extract<Admission, { fresh: true }>,
  allowance: { send?: CodeSend; used?: boolean },
) {
  const { payment, carrier } = admission;
  const { outcome } = await callWithRetries(carrier.config.retry, () =>
    carrier.adapter.reserveAmount({
      phoneNumber: payment.phone_number,
      amountMinor: payment.amount_minor,
      currency: payment.currency,
      description: payment.description,
      reference: reservationReferenceOf(payment),
    }),
  );
  if (outcome.kind !== 'succeeded') {
    // Nothing was reserved; or, when the answer was lost, what may have been is released by its
    // reference (or lapses at the carrier). No money moved.
    const reason = denialReasonOf(outcome);
    await ctx.store.payments.end(
      payment.id,
      {
        // An asynchronous merchant holds the id already: the refusal is a visible, notified `denied`.
        event: payment.completes_async ? 'async_reservation_declined' : 'reservation_declined',
        denialReason: reason,
        releaseOperationId: randomId('op_'),
        reservationUnanswered: outcome.kind === 'unknown',
      },
      ctx.clock.now(),
      {
        actor: `carrier:${carrier.config.id}`,
        event: 'prepare_refused',
        fromStatus: 'reserving',
        detail: { outcome: outcome.kind, ...(outcome.kind === 'declined' ? { carrierCode: outcome.carrierCode } : {}) },
      },
    );
    throw refusalError(reason);
  }

  const reservationId = outcome.value.reservationId;
  const now = ctx.clock.now();
  const giveBack = () => carrier.adapter.releaseReservation({ reservationId, phoneNumber: payment.phone_number });
  if (payment.consent_id !== null) return reservedUnderConsent(ctx, merchant, payment, reservationId, giveBack);
  const pageTokenDigest =
    merchant.validationMode === 'open' ? keyedDigest(ctx.keys.tokens, pageToken(ctx, payment.id)) : undefined;
  if (payment.risk_decision === 'review' || payment.risk_decision === 'step_up') {
    // The send stays taken: the code goes out when an operator approves.
    allowance.used = true;
    return heldForReview(ctx, merchant, payment, { reservationId, pageTokenDigest }, giveBack);
  }
  const code = issueCode(ctx, merchant, payment, now);
  // One statement: the state change and its audit row (with the consent text) commit together.
  const pending = await ctx.store.payments
    .recordReservation(payment.id, { reservationId, code: code.issued, pageTokenDigest }, now, {
      actor: `merchant:${merchant.id}`,
      event: 'code_sent',
      fromStatus: 'reserving',
      smsText: code.auditText,
      detail: { send: 1 },
    })
    .catch(givenBackOnError(giveBack));
  if (!pending) return givenBackTooLate(giveBack);
  allowance.used = true;
  await sendSms(ctx, pending, code.text, 'consent_code');
  return replay(pending, pageOf(ctx, merchant, pending));
}

/** Reserved under a standing consent: `reserved` at once, no code, no validation info. */
async function reservedUnderConsent(
  ctx: Context,
  merchant: MerchantPrincipal,
  payment: PaymentRecord,
  reservationId: string,
  giveBack: () => Promise<unknown>,
) {
  const now = ctx.clock.now();
  const deadline = new Date(now.getTime() + ctx.config.payments.reservedTtlSeconds * 1000);
  const reserved = await ctx.store.payments
    .recordReservationUnderConsent(payment.id, reservationId, deadline, now, {
      actor: `merchant:${merchant.id}`,
      event: 'reserved_under_consent',
      fromStatus: 'reserving',
      detail: { consentId: payment.consent_id },
    })
    .catch(givenBackOnError(giveBack));
  if (!reserved) return givenBackTooLate(giveBack);
  return replay(reserved);
}

/**
 * The risk rules asked for a review: the reservation is kept, no code is sent until an operator
 * approves (services/risk/reviews.ts), and the payment lapses, released, after
 * `risk.reviewHoldMinutes`. The merchant is answered `processing` with the validation info.
 */
async function heldForReview(
  ctx: Context,
  merchant: MerchantPrincipal,
  payment: PaymentRecord,
  reservation: { reservationId: string; pageTokenDigest?: Buffer },
  giveBack: () => Promise<unknown>,
) {
  const now = ctx.clock.now();
  const deadline = new Date(now.getTime() + ctx.config.risk.reviewHoldMinutes * 60_000);
  const held = await ctx.store.payments
    .recordHeld(payment.id, { ...reservation, deadline }, now, {
      actor: 'risk-rules',
      event: 'held_for_review',
      fromStatus: 'reserving',
      detail: { rules: (payment.risk_reasons ?? []).map((reason) => reason.rule) },
    })
    .catch(givenBackOnError(giveBack));
  if (!held) return givenBackTooLate(giveBack);
  return replay(held, pageOf(ctx, merchant, held));
}

/**
 * The database went away after the carrier reserved: nobody can confirm this payment, so the
 * reservation goes back now rather than lapse (Parlay X cannot be asked for it later). Should the
 * write have committed after all, a confirm fails at the carrier, nothing is charged, and it expires.
 */
function givenBackOnError(giveBack: () => Promise<unknown>) {
  return async (error: unknown): Promise<never> => {
    await giveBack().catch(() => undefined);
    throw error;
  };
}

/** The expiry job gave this prepare up as abandoned while the carrier was answering: the reservation goes back. */
async function givenBackTooLate(giveBack: () => Promise<unknown>): Promise<never> {
  await giveBack();
  throw errors.unavailable('The carrier answered too late; nothing was charged. Try again.');
}

/** The answer to a prepare and to its repetitions: the page's URL in "open" mode, else the authorizationId. */
function replay(payment: PaymentRecord, validationURL?: string) {
  const validationInfo = validationURL
    ? { action: 'open' as const, validationURL }
    : payment.authorization_id
      ? { action: 'validate' as const, authorizationId: payment.authorization_id }
      : undefined;
  return { ...visibleView(payment), ...(validationInfo ? { validationInfo } : {}) };
}

/**
 * The secret in a confirmation page's URL: a keyed digest of the payment id, so it cannot be
 * guessed, needs no storage of its own, and every answer to a repeated prepare can give it again.
 */
export function pageToken(ctx: Context, paymentId: string): string {
  return keyedDigest(ctx.keys.tokens, `confirmation-page:${paymentId}`).toString('base64url');
}
