import { API_PATHS } from '../api-paths.js';
import { toDecimal } from '../../domain/money.js';
import type { RefundRecord } from '../../ports/store/refunds.js';

/** A refund as CAMARA Carrier Billing Refund v0.3 shows it. */
export function refundView(r: RefundRecord) {
  const request = r.request as { clientCorrelator?: string; refundAmount?: Record<string, unknown> };
  return {
    refundId: r.id,
    refundStatus: r.status === 'manual_review' ? 'processing' : r.status,
    type: r.kind,
    refundCreationDate: r.created_at.toISOString(),
    ...(r.refund_date ? { refundDate: r.refund_date.toISOString() } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.sink ? { sink: r.sink } : {}),
    amountTransaction: {
      ...(r.client_correlator !== null ? { clientCorrelator: r.client_correlator } : {}),
      // A total refund names no amount (CAMARA: `{}`, whatever it came to); a partial one its own.
      refundAmount:
        r.kind === 'total'
          ? {}
          : {
              ...(request.refundAmount ?? {}),
              chargingInformation: {
                ...((request.refundAmount?.chargingInformation as Record<string, unknown> | undefined) ?? {}),
                amount: toDecimal(r.amount_minor, r.currency),
                currency: r.currency,
              },
            },
      referenceCode: r.reference_code,
    },
  };
}

/** Where a refund lives: the `Location` of a new one. */
export function refundPath(paymentId: string, refundId: string): string {
  return `${API_PATHS.refunds}/payments/${paymentId}/refunds/${refundId}`;
}
