import type { EventNote } from './audit.js';

export type RefundStatus = 'processing' | 'succeeded' | 'denied' | 'manual_review';

export interface RefundRecord {
  id: string;
  payment_id: string;
  merchant_id: string;
  certificate_id: string;
  kind: 'total' | 'partial';
  status: RefundStatus;
  client_correlator: string | null;
  request_digest: string;
  reference_code: string;
  amount_minor: bigint;
  currency: string;
  reason: string | null;
  request: Record<string, unknown>;
  sink: string | null;
  /** The refund's own sinkCredential, sealed to the refund's id. */
  sink_credential_encrypted: string | null;
  denial_reason: string | null;
  created_at: Date;
  refund_date: Date | null;
  updated_at: Date;
}

export type NewRefund = Omit<RefundRecord, 'status' | 'denial_reason' | 'created_at' | 'refund_date' | 'updated_at'>;

export interface RefundFilter {
  merchantId: string;
  paymentId: string;
  statuses?: RefundStatus[];
  from?: Date;
  to?: Date;
  merchantIdentifier?: string;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/**
 * Refunds. The refundable amount is the gift certificate's unspent balance: a refund takes it off
 * the certificate when it is recorded and gives it back if it is denied, in the same transaction.
 */
export interface RefundStore {
  find(id: string): Promise<RefundRecord | undefined>;
  /** The live (not denied) refund of a merchant holding a clientCorrelator, or else the referenceCode. */
  findDuplicate(
    merchantId: string,
    clientCorrelator: string | null,
    referenceCode: string,
  ): Promise<RefundRecord | undefined>;
  list(filter: RefundFilter): Promise<{ rows: RefundRecord[]; total: number }>;
  /** What of a payment was refunded or is being refunded (denied refunds gave it back). */
  refundedAmount(paymentId: string): Promise<bigint>;

  /**
   * A new refund (undefined when its clientCorrelator or referenceCode is taken), its amount taken
   * off its certificate, the carrier refund's intent under `operationId`, and the audit row. The
   * caller checks the balance under the certificate's lock; a balance short of the amount is a
   * MissingRowError and nothing is written.
   */
  recordRequested(
    refund: NewRefund,
    operationId: string,
    now: Date,
    audit: EventNote,
  ): Promise<RefundRecord | undefined>;
  /** processing or manual_review → succeeded. */
  recordRefunded(refund: RefundRecord, now: Date, audit: EventNote): Promise<RefundRecord | undefined>;
  /** processing or manual_review → denied; the amount goes back onto the certificate. */
  /**
   * processing → denied, the balance back on the certificate. `answered`: the merchant learns it
   * from the answer to its own request (which names no refund), so no refund-denied event is sent.
   */
  recordDenied(
    refund: RefundRecord,
    reason: string,
    now: Date,
    audit: EventNote,
    answered?: boolean,
  ): Promise<RefundRecord | undefined>;
  /** processing → manual_review: recovery could not learn the outcome. */
  recordManualReview(refund: RefundRecord, now: Date, audit: EventNote): Promise<RefundRecord | undefined>;
  /**
   * The carrier refunded a refund already denied (its amount given back): the amount is taken off
   * the certificate again if it is still there (succeeded), else it is for people (manual_review).
   * Undefined when the refund is no longer denied (someone else settled it meanwhile).
   */
  recordLateRefund(refund: RefundRecord, now: Date, audit: EventNote): Promise<RefundRecord | undefined>;
}
