import type { EventNote } from '../ports/store/audit.js';
import { missing } from '../ports/store/missing-row.js';
import type { NewRefund, RefundFilter, RefundRecord, RefundStatus, RefundStore } from '../ports/store/refunds.js';
import { recordAudit } from './audit.js';
import { giveBackBalance, takeBalance } from './certificates.js';
import type { Queryable } from './database.js';
import { pagedSelect } from './paged-select.js';
import type { Session } from './session.js';

export class RefundsTable implements RefundStore {
  constructor(private readonly session: Session) {}

  async find(id: string) {
    return (await this.session.q.query<RefundRecord>('SELECT * FROM refunds WHERE id = $1', [id])).rows[0];
  }

  async findDuplicate(merchantId: string, clientCorrelator: string | null, referenceCode: string) {
    const { rows } = await this.session.q.query<RefundRecord>(
      `SELECT * FROM refunds
        WHERE merchant_id = $1 AND status <> 'denied' AND (client_correlator = $2 OR reference_code = $3)
        ORDER BY (client_correlator = $2) DESC NULLS LAST LIMIT 1`,
      [merchantId, clientCorrelator, referenceCode],
    );
    return rows[0];
  }

  list(f: RefundFilter) {
    return pagedSelect<RefundRecord>(
      this.session.q,
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

  async refundedAmount(paymentId: string) {
    // sum() of bigint is numeric, which arrives as text.
    const { rows } = await this.session.q.query<{ n: string | null }>(
      `SELECT sum(amount_minor) AS n FROM refunds WHERE payment_id = $1 AND status <> 'denied'`,
      [paymentId],
    );
    return BigInt(rows[0]?.n ?? 0);
  }

  recordRequested(r: NewRefund, operationId: string, now: Date, audit: EventNote) {
    return this.session.atomically(async (q) => {
      const { rows } = await q.query<RefundRecord>(
        `INSERT INTO refunds (id, payment_id, merchant_id, certificate_id, kind, status, client_correlator,
                              request_digest, reference_code,
                              amount_minor, currency, reason, request, sink, sink_credential_encrypted,
                              created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'processing', $6, $7, $8, $9, $10, $11, $12, $13, $15, $14, $14)
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
          r.sink_credential_encrypted,
        ],
      );
      const refund = rows[0];
      if (!refund) return undefined;
      // The caller checked the balance under the certificate's lock; short of it, nothing is written.
      const taken = await takeBalance(q, refund.certificate_id, refund.amount_minor, 'refund');
      if (!taken) missing('gift_certificates', refund.certificate_id);
      await q.query(
        `INSERT INTO carrier_operations (id, payment_id, carrier_id, operation, amount_minor, currency, refund_id)
         SELECT $1, p.id, p.carrier_id, 'refund', $2, $3, $4 FROM payments p WHERE p.id = $5`,
        [operationId, refund.amount_minor, refund.currency, refund.id, refund.payment_id],
      );
      await recordAudit(q, { ...audit, paymentId: refund.payment_id, merchantId: refund.merchant_id });
      return refund;
    });
  }

  recordRefunded(refund: RefundRecord, now: Date, audit: EventNote) {
    return this.session.atomically(async (q) => {
      const refunded = await move(q, refund.id, ['processing', 'manual_review'], 'succeeded', now);
      if (refunded) await recordAudit(q, { ...audit, paymentId: refund.payment_id, merchantId: refund.merchant_id });
      return refunded;
    });
  }

  /** The audit row is written even when the refund had moved on: the carrier's refusal is on record. */
  recordDenied(refund: RefundRecord, reason: string, now: Date, audit: EventNote, answered = false) {
    return this.session.atomically(async (q) => {
      const denied = await move(q, refund.id, ['processing', 'manual_review'], 'denied', now, reason, answered);
      if (denied) await giveBackBalance(q, refund.certificate_id, refund.amount_minor, now);
      await recordAudit(q, { ...audit, paymentId: refund.payment_id, merchantId: refund.merchant_id });
      return denied;
    });
  }

  recordManualReview(refund: RefundRecord, now: Date, audit: EventNote) {
    return this.session.atomically(async (q) => {
      const moved = await move(q, refund.id, ['processing'], 'manual_review', now);
      if (moved) await recordAudit(q, { ...audit, paymentId: refund.payment_id, merchantId: refund.merchant_id });
      return moved;
    });
  }

  recordLateRefund(refund: RefundRecord, now: Date, audit: EventNote) {
    return this.session.atomically(async (q) => {
      // Locked and still denied, or already settled by whoever learned it first (request or recovery).
      const { rows } = await q.query<RefundRecord>(
        `SELECT * FROM refunds WHERE id = $1 AND status = 'denied' FOR UPDATE`,
        [refund.id],
      );
      if (rows.length === 0) return undefined;
      const retaken = await takeBalance(q, refund.certificate_id, refund.amount_minor, 'refund');
      await recordAudit(q, { ...audit, paymentId: refund.payment_id, merchantId: refund.merchant_id });
      return move(q, refund.id, ['denied'], retaken ? 'succeeded' : 'manual_review', now);
    });
  }
}

/** Moves a refund on, only from the given states; undefined when it had already moved. */
async function move(
  q: Queryable,
  id: string,
  from: RefundStatus[],
  to: RefundStatus,
  now: Date,
  denialReason: string | null = null,
  /** No notification of this change: the sink goes in the same statement (the trigger needs one). */
  unnotified = false,
): Promise<RefundRecord | undefined> {
  const { rows } = await q.query<RefundRecord>(
    `UPDATE refunds SET status = $3, updated_at = $4, denial_reason = $5,
                        refund_date = CASE WHEN $3 = 'succeeded' THEN $4 ELSE refund_date END,
                        sink = CASE WHEN $6 THEN NULL ELSE sink END
      WHERE id = $1 AND status = ANY($2) RETURNING *`,
    [id, from, to, now, denialReason, unnotified],
  );
  return rows[0];
}
