import { createHash } from 'node:crypto';
import { ApiError, errors } from '../../domain/errors.js';
import { toMinorUnits } from '../../domain/money.js';
import { withinRefundWindow } from '../../domain/refund-window.js';
import { callWithRetries } from '../carriers/calls.js';
import type { Context, MerchantPrincipal } from '../context.js';
import { encrypt, randomId, sealedAt } from '../keys.js';
import { findOwnPayment } from '../payments/own-payment.js';
import { refundView } from './view.js';
import { settleRefund } from './settle.js';
import { CARRIER_UNAVAILABLE } from '../payments/errors.js';
import type { RefundRecord } from '../../ports/store/refunds.js';

/** The body of CAMARA createRefund, as the HTTP schema admitted it. */
export interface RefundRequest {
  type: 'total' | 'partial';
  reason?: string;
  sink?: string;
  sinkCredential?: unknown;
  amountTransaction: {
    clientCorrelator?: string;
    referenceCode: string;
    refundAmount: {
      chargingInformation?: { amount: number; currency: string; description: string; isTaxIncluded?: boolean };
      chargingMetaData?: Record<string, unknown>;
      refundDetails?: Array<{ paymentItemId: string; amount: number; currency: string }>;
    };
  };
}

/**
 * CAMARA createRefund. What can be refunded is what the phone user has not spent: the gift
 * certificate's balance. It is taken off the certificate first, in the transaction that records
 * the refund (so a racing redemption cannot spend it too); then the carrier refunds it.
 */
export async function createRefund(ctx: Context, merchant: MerchantPrincipal, paymentId: string, body: RefundRequest) {
  const payment = await findOwnPayment(ctx.store, paymentId, merchant);
  if (payment.status !== 'succeeded' || !payment.payment_date) throw errors.invalidPaymentStatus();
  const carrier = ctx.carriers.get(payment.carrier_id);
  if (!carrier) throw errors.unavailable();
  const now = ctx.clock.now();
  if (!withinRefundWindow(carrier.config.refundWindow, payment.payment_date, now)) {
    throw errors.notEligibleForRefund(
      'Payment not eligible for refund: the carrier accepts refunds only in the month of the charge.',
    );
  }
  const asked = body.type === 'partial' ? body.amountTransaction.refundAmount.chargingInformation : undefined;
  if (body.type === 'partial' && !asked)
    throw errors.invalidArgument('A partial refund needs refundAmount.chargingInformation.');
  if (asked && asked.currency !== payment.currency)
    throw errors.invalidArgument('Currency is unknown or not authorized.');
  const askedMinor = asked ? toMinorUnits(asked.amount, asked.currency) : undefined;
  requireConsistentDetails(payment.request, body.amountTransaction.refundAmount, askedMinor, payment.currency);

  const tx = body.amountTransaction;
  const digest = createHash('sha256')
    .update(JSON.stringify([paymentId, body]))
    .digest('base64url');
  const operationId = randomId('op_');
  const written = await ctx.store.transaction(async (store): Promise<RefundRecord | ApiError | undefined> => {
    const certificate = await store.certificates.lockOfPayment(paymentId);
    // Nothing left at all: not eligible (403); more than what is left: an unauthorized amount (422).
    if (!certificate || certificate.balance_minor === 0n)
      return errors.notEligibleForRefund(
        'Payment not eligible for refund: its gift certificate has been spent or refunded.',
      );
    const amount = askedMinor ?? certificate.balance_minor;
    if (amount > certificate.balance_minor)
      return errors.refundUnauthorizedAmount(
        `At most ${certificate.balance_minor} (minor units) is left to refund: ` +
          'the rest of the gift certificate was spent.',
      );
    const refundId = randomId('ref_');
    return store.refunds.recordRequested(
      {
        id: refundId,
        payment_id: paymentId,
        merchant_id: merchant.id,
        certificate_id: certificate.id,
        kind: body.type,
        client_correlator: tx.clientCorrelator ?? null,
        request_digest: digest,
        reference_code: tx.referenceCode,
        amount_minor: amount,
        currency: payment.currency,
        reason: body.reason ?? null,
        request: tx,
        sink: body.sink ?? null,
        sink_credential_encrypted:
          body.sink && body.sinkCredential
            ? encrypt(ctx.keys.merchantSecrets, JSON.stringify(body.sinkCredential), sealedAt.sinkCredential(refundId))
            : null,
      },
      operationId,
      now,
      {
        actor: `merchant:${merchant.id}`,
        event: 'refund_requested',
        detail: { refundId, amountMinor: String(amount), type: body.type },
      },
    );
  });

  if (written instanceof ApiError) {
    const replay = await duplicateOf(ctx, merchant.id, tx, digest);
    if (replay) return replay;
    throw written;
  }
  if (!written) {
    const replay = await duplicateOf(ctx, merchant.id, tx, digest);
    if (replay) return replay;
    throw errors.alreadyExists('referenceCode already used for another refund.');
  }

  const request = {
    phoneNumber: payment.phone_number,
    amountMinor: written.amount_minor,
    currency: payment.currency,
    description: `Refund: ${payment.description}`,
    reference: operationId,
  };
  const waits = merchant.completionMode !== 'async';
  const refund = async () => {
    const result = await callWithRetries(carrier.config.retry, () => carrier.adapter.refundAmount(request));
    return settleRefund(ctx, written, operationId, result, `merchant:${merchant.id}`, waits);
  };
  if (merchant.completionMode === 'async') {
    // `processing` now, the outcome by notification; recovery finishes what this process does not.
    ctx.background.run(refund(), { refundId: written.id });
    return refundView(written);
  }
  const settled = await refund();
  if (settled.status === 'denied') {
    throw errors.refundDenied(
      settled.denial_reason === CARRIER_UNAVAILABLE
        ? 'Refund denied: the carrier could not be reached. Nothing was refunded, ' +
            'the balance is back on the gift certificate; try again.'
        : 'Refund denied by business: the carrier refused it; the balance is back on the gift certificate.',
    );
  }
  return refundView(settled);
}

/** CAMARA idempotency: the same clientCorrelator and request is the same refund; another request is an error. */
async function duplicateOf(ctx: Context, merchantId: string, tx: RefundRequest['amountTransaction'], digest: string) {
  const existing = await ctx.store.refunds.findDuplicate(merchantId, tx.clientCorrelator ?? null, tx.referenceCode);
  if (!existing) return undefined;
  if (tx.clientCorrelator === undefined || existing.client_correlator !== tx.clientCorrelator)
    throw errors.alreadyExists('referenceCode already used for another refund.');
  if (existing.request_digest !== digest) throw errors.invalidArgument('clientCorrelator already exist on server.');
  return refundView(existing);
}

/**
 * CAMARA's consistency rules: `isTaxIncluded` as in the payment, and `refundDetails` naming items
 * of the payment and adding up to the refunded amount.
 */
function requireConsistentDetails(
  paymentRequest: Record<string, unknown>,
  refund: RefundRequest['amountTransaction']['refundAmount'],
  amountMinor: bigint | undefined,
  currency: string,
): void {
  const paid = (
    paymentRequest as {
      paymentAmount?: { chargingInformation?: { isTaxIncluded?: boolean }; paymentDetails?: Array<{ id: string }> };
    }
  ).paymentAmount;
  const asked = refund.chargingInformation?.isTaxIncluded;
  if (asked !== undefined && asked !== (paid?.chargingInformation?.isTaxIncluded ?? false)) {
    throw new ApiError(
      422,
      'CARRIER_BILLING_REFUND.TAXES_MANAGEMENT_MISMATCH',
      'Inconsistent isTaxIncluded value with regards to related payment.',
    );
  }
  const details = refund.refundDetails;
  if (!details) return;
  const items = new Set((paid?.paymentDetails ?? []).map((d) => d.id));
  const sum = details.reduce(
    (total, d) => total + (d.currency === currency ? toMinorUnits(d.amount, d.currency) : -1n),
    0n,
  );
  if (
    details.some((d) => !items.has(d.paymentItemId) || d.currency !== currency) ||
    (amountMinor !== undefined && sum !== amountMinor)
  ) {
    throw new ApiError(
      422,
      'CARRIER_BILLING_REFUND.REFUND_DETAILS_MISMATCH',
      'Inconsistent refundDetails information with regards to related payment.',
    );
  }
}
