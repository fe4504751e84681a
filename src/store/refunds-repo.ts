import type { Queryable } from './database.js';
import { pagedSelect } from './paged-select.js';

export type RefundStatus = 'processing' | 'succeeded' | 'denied' | 'manual_review';

export interface RefundRow {
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
  denial_reason: string | null;
  created_at: Date;
  refund_date: Date | null;
  updated_at: Date;
}

export type NewRefund = Omit<RefundRow, 'status' | 'denial_reason' | 'created_at' | 'refund_date' | 'updated_at'>;

/** Inserts a refund unless its clientCorrelator or referenceCode is taken; undefined then. */
export async function insertRefund(tx: Queryable, r: NewRefund, now: Date): Promise<RefundRow | undefined> {
  const { rows } = await tx.query<RefundRow>(
    `INSERT INTO refunds (id, payment_id, merchant_id, certificate_id, kind, status, client_correlator, request_digest, reference_code,
                          amount_minor, currency, reason, request, sink, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, 'processing', $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
     ON CONFLICT DO NOTHING RETURNING *`,
    [
      r.id,
      r.payment_id,
      r.merchant_id,
      r.certificate_id,
      r.kind,
      r.client_correlator,
      r.request_digest,
      r.reference_code,
      r.amount_minor,
      r.currency,
      r.reason,
      JSON.stringify(r.request),
      r.sink,
      now,
    ],
  );
  return rows[0];
}

export async function findRefundDuplicate(
  db: Queryable,
  merchantId: string,
  clientCorrelator: string | null,
  referenceCode: string,
): Promise<RefundRow | undefined> {
  const { rows } = await db.query<RefundRow>(
    `SELECT * FROM refunds WHERE merchant_id = $1 AND status <> 'denied' AND (client_correlator = $2 OR reference_code = $3)
      ORDER BY (client_correlator = $2) DESC NULLS LAST LIMIT 1`,
    [merchantId, clientCorrelator, referenceCode],
  );
  return rows[0];
}

export async function findRefund(db: Queryable, id: string): Promise<RefundRow | undefined> {
  return (await db.query<RefundRow>('SELECT * FROM refunds WHERE id = $1', [id])).rows[0];
}

/** Moves a refund on, only from the given states; undefined when it had already moved. */
export async function updateRefund(
  tx: Queryable,
  id: string,
  from: RefundStatus[],
  to: RefundStatus,
  now: Date,
  denialReason: string | null = null,
): Promise<RefundRow | undefined> {
  const { rows } = await tx.query<RefundRow>(
    `UPDATE refunds SET status = $3, updated_at = $4, denial_reason = $5, refund_date = CASE WHEN $3 = 'succeeded' THEN $4 ELSE refund_date END
      WHERE id = $1 AND status = ANY($2) RETURNING *`,
    [id, from, to, now, denialReason],
  );
  return rows[0];
}

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

export async function listRefunds(db: Queryable, f: RefundFilter): Promise<{ rows: RefundRow[]; total: number }> {
  return pagedSelect<RefundRow>(
    db,
    'refunds',
    [],
    [
      ['merchant_id = ?', f.merchantId],
      ['payment_id = ?', f.paymentId],
      ['status = ANY(?)', f.statuses],
      ['created_at >= ?', f.from],
      ['created_at <= ?', f.to],
      [`request #>> '{refundAmount,chargingMetaData,merchantIdentifier}' = ?`, f.merchantIdentifier],
    ],
    f,
  );
}

/** What of a payment was refunded or is being refunded (denied refunds gave it back). */
export async function refundedAmount(db: Queryable, paymentId: string): Promise<bigint> {
  // sum() of bigint is numeric, which arrives as text.
  const { rows } = await db.query<{ n: string | null }>(
    `SELECT sum(amount_minor) AS n FROM refunds WHERE payment_id = $1 AND status <> 'denied'`,
    [paymentId],
  );
  return BigInt(rows[0]?.n ?? 0);
}
