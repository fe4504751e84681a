import { nextStatus, statusesAllowing, type PaymentEvent, type PaymentStatus } from '../domain/payment-state.js';
import { COMMITTED_STATES, periodStarts, type Committed } from '../domain/spending-limits.js';
import type { AuditNote } from '../ports/store/audit.js';
import type {
  Ending,
  IssuedCode,
  LockingPaymentStore,
  NewPayment,
  PaymentFilter,
  PaymentRecord,
} from '../ports/store/payments.js';
import type { NewCertificate } from '../ports/store/certificates.js';
import {
  auditRow,
  certificate,
  operationIntent,
  operationOutcome,
  releaseIntent,
  withCompanions,
  type CompanionWrite,
} from './companions.js';
import { pagedSelect } from './paged-select.js';
import type { StoreObserver } from './observer.js';
import type { Session } from './session.js';

/** Columns a change may set besides the state. */
type PaymentChanges = Partial<
  Pick<
    PaymentRecord,
    | 'reservation_id'
    | 'authorization_id'
    | 'page_token_digest'
    | 'otp_digest'
    | 'otp_sends'
    | 'otp_failures'
    | 'otp_sent_at'
    | 'deadline_at'
    | 'denial_reason'
    | 'payment_date'
  >
>;

interface Change {
  /** The event of the state machine to apply; without one, fields change and the state stays. */
  event?: PaymentEvent;
  /** Only from this state (one of those the event allows): the caller decided on it. */
  from?: PaymentStatus;
  /** For a change of fields without an event: only while the payment is in one of these states. */
  whileIn?: PaymentStatus[];
  /** Only while the payment's consent code is still this one. */
  whileCode?: Buffer;
  set: PaymentChanges;
  audit: AuditNote;
  also?: CompanionWrite[];
}

export class PaymentsTable implements LockingPaymentStore {
  constructor(
    private readonly session: Session,
    private readonly observer: StoreObserver,
  ) {}

  async find(id: string) {
    return (await this.session.q.query<PaymentRecord>('SELECT * FROM payments WHERE id = $1', [id])).rows[0];
  }

  async findByPageToken(digest: Buffer) {
    const { rows } = await this.session.q.query<PaymentRecord>('SELECT * FROM payments WHERE page_token_digest = $1', [
      digest,
    ]);
    return rows[0];
  }

  async findLiveDuplicate(merchantId: string, clientCorrelator: string | null, referenceCode: string) {
    const { rows } = await this.session.q.query<PaymentRecord>(
      `SELECT * FROM payments
        WHERE merchant_id = $1 AND status <> 'rejected' AND (client_correlator = $2 OR reference_code = $3)
        ORDER BY (client_correlator = $2) DESC NULLS LAST LIMIT 1`,
      [merchantId, clientCorrelator, referenceCode],
    );
    return rows[0];
  }

  list(f: PaymentFilter) {
    return pagedSelect<PaymentRecord>(
      this.session.q,
      'payments',
      [`status <> 'rejected' AND (status <> 'reserving' OR completes_async)`],
      [
        ['merchant_id = ?', f.merchantId],
        ['status = ANY(?)', f.statuses],
        ['phone_number = ?', f.phoneNumber],
        ['created_at >= ?', f.createdFrom],
        ['created_at <= ?', f.createdTo],
        [`request #>> '{paymentAmount,chargingMetaData,merchantIdentifier}' = ?`, f.chargingMerchantIdentifier],
      ],
      f,
    );
  }

  async recordNew(p: NewPayment, now: Date, audit: AuditNote, chargeOperationId?: string) {
    const params: unknown[] = [
      p.id,
      p.merchant_id,
      p.kind,
      p.status,
      p.client_correlator,
      p.request_digest,
      p.reference_code,
      p.phone_number,
      p.carrier_id,
      p.amount_minor,
      p.currency,
      p.description,
      JSON.stringify(p.request),
      p.sink,
      p.sink_credential_encrypted,
      p.deadline_at,
      now,
      p.completes_async,
      p.authorization_id,
      p.consent_id,
      p.subscription_id,
      p.subscription_period,
      p.risk_decision,
      p.risk_reasons === null ? null : JSON.stringify(p.risk_reasons),
    ];
    const insert = `INSERT INTO payments (id, merchant_id, kind, status, client_correlator, request_digest,
                           reference_code, phone_number, carrier_id, amount_minor, currency, description, request, sink,
                           sink_credential_encrypted, deadline_at, created_at, updated_at, completes_async, authorization_id,
                           consent_id, subscription_id, subscription_period, risk_decision, risk_reasons)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18, $19, $20, $21, $22, $23, $24)
     ON CONFLICT DO NOTHING RETURNING *`;
    const companions = [auditRow(audit)];
    if (chargeOperationId) companions.push(operationIntent(chargeOperationId, 'charge_amount'));
    const { rows } = await this.session.q.query<PaymentRecord>(withCompanions(insert, params, companions), params);
    return this.observed(rows[0]);
  }

  async recordDenied(p: NewPayment, now: Date, audit: AuditNote) {
    // `rejected` rows hold no unique clientCorrelator or referenceCode, so this insert always lands.
    const denied = await this.recordNew(
      { ...p, status: 'rejected', deadline_at: null, authorization_id: null },
      now,
      audit,
    );
    if (!denied) throw new Error(`payment ${p.id} already exists`);
    return denied;
  }

  async purchaseHistory(phoneNumber: string, now: Date) {
    const hourAgo = new Date(now.getTime() - 3_600_000);
    const dayAgo = new Date(now.getTime() - 86_400_000);
    const { rows } = await this.session.q.query<{
      hour_count: number;
      hour_sum: string;
      day_count: number;
      day_sum: string;
      failed_codes: number;
      ever: boolean;
    }>(
      `SELECT count(*) FILTER (WHERE counted AND created_at >= $2)::int AS hour_count,
              COALESCE(sum(amount_minor) FILTER (WHERE counted AND created_at >= $2), 0)::text AS hour_sum,
              count(*) FILTER (WHERE counted)::int AS day_count,
              COALESCE(sum(amount_minor) FILTER (WHERE counted), 0)::text AS day_sum,
              COALESCE(sum(otp_failures), 0)::int AS failed_codes,
              EXISTS (SELECT 1 FROM payments WHERE phone_number = $1 AND status = 'succeeded') AS ever
         FROM (SELECT created_at, amount_minor, otp_failures, status = ANY($4) AS counted
                 FROM payments WHERE phone_number = $1 AND created_at >= $3) recent`,
      [phoneNumber, hourAgo, dayAgo, COMMITTED_STATES],
    );
    const row = rows[0];
    return {
      lastHour: { count: row?.hour_count ?? 0, sumMinor: BigInt(row?.hour_sum ?? 0) },
      lastDay: { count: row?.day_count ?? 0, sumMinor: BigInt(row?.day_sum ?? 0) },
      failedCodesLastDay: row?.failed_codes ?? 0,
      everPurchased: row?.ever ?? false,
    };
  }

  recordHeld(
    id: string,
    h: { reservationId: string; deadline: Date; pageTokenDigest?: Buffer },
    now: Date,
    audit: AuditNote,
  ) {
    const set: PaymentChanges = { reservation_id: h.reservationId, deadline_at: h.deadline };
    if (h.pageTokenDigest) set.page_token_digest = h.pageTokenDigest;
    return this.change(id, { event: 'reservation_held', set, audit }, now);
  }

  recordReviewApproved(id: string, code: IssuedCode, now: Date, audit: AuditNote) {
    return this.change(id, { event: 'review_approved', set: code, audit }, now);
  }

  recordReservation(
    id: string,
    r: { reservationId: string; code: IssuedCode; pageTokenDigest?: Buffer },
    now: Date,
    audit: AuditNote,
  ) {
    const set: PaymentChanges = { ...r.code, reservation_id: r.reservationId };
    if (r.pageTokenDigest) set.page_token_digest = r.pageTokenDigest;
    return this.change(id, { event: 'reservation_succeeded', set, audit }, now);
  }

  async categorySpent(phoneNumber: string, category: string, monthStart: Date, excludePaymentId = '') {
    const { rows } = await this.session.q.query<{ spent: string }>(
      `SELECT (COALESCE((SELECT sum(p.amount_minor) FROM payments p JOIN merchants m ON m.id = p.merchant_id
                          WHERE p.phone_number = $1 AND m.category = $2 AND COALESCE(p.payment_date, p.created_at) >= $3
                            AND p.status = ANY($4) AND p.id <> $5), 0)
             - COALESCE((SELECT sum(r.amount_minor) FROM refunds r JOIN payments p ON p.id = r.payment_id
                          JOIN merchants m ON m.id = p.merchant_id
                          WHERE p.phone_number = $1 AND m.category = $2 AND COALESCE(p.payment_date, p.created_at) >= $3
                            AND r.status = 'succeeded'), 0))::text AS spent`,
      [phoneNumber, category, monthStart, COMMITTED_STATES, excludePaymentId],
    );
    return BigInt(rows[0]?.spent ?? 0);
  }

  recordReservationUnderConsent(id: string, reservationId: string, deadline: Date, now: Date, audit: AuditNote) {
    const set: PaymentChanges = { reservation_id: reservationId, deadline_at: deadline };
    return this.change(id, { event: 'reservation_consented', set, audit }, now);
  }

  recordCodeResent(id: string, code: IssuedCode, now: Date, audit: AuditNote) {
    return this.change(id, { set: code, whileIn: ['pending_validation'], audit }, now);
  }

  recordWrongCode(id: string, failures: number, now: Date, audit: AuditNote) {
    return this.change(id, { set: { otp_failures: failures }, whileIn: ['pending_validation'], audit }, now);
  }

  recordCodeValidated(id: string, v: { deadline: Date; whileCode?: Buffer }, now: Date, audit: AuditNote) {
    const set = { otp_digest: null, deadline_at: v.deadline };
    return this.change(id, { event: 'code_validated', whileCode: v.whileCode, set, audit }, now);
  }

  recordChargeRequested(id: string, operationId: string, now: Date, audit: AuditNote) {
    const also = [operationIntent(operationId, 'charge_reservation')];
    return this.change(id, { event: 'confirm_requested', set: { deadline_at: null }, audit, also }, now);
  }

  recordChargeSucceeded(
    id: string,
    c: { from: PaymentStatus; operationId: string; tries: number; certificate: NewCertificate },
    now: Date,
    audit: AuditNote,
  ) {
    const outcome = { kind: 'succeeded' as const, value: undefined };
    const also = [operationOutcome(c.operationId, outcome, c.tries, now), certificate(c.certificate)];
    return this.change(id, { event: 'charge_succeeded', from: c.from, set: { payment_date: now }, audit, also }, now);
  }

  recordChargeUnknown(id: string, now: Date, audit: AuditNote) {
    return this.change(id, { set: {}, whileIn: ['charging', 'manual_review'], audit }, now);
  }

  recordManualReview(id: string, now: Date, audit: AuditNote) {
    return this.change(id, { event: 'review_needed', set: {}, audit }, now);
  }

  recordLateCharge(id: string, now: Date, audit: AuditNote) {
    return this.change(id, { event: 'late_charge_found', set: {}, audit }, now);
  }

  end(id: string, e: Ending, now: Date, audit: AuditNote) {
    const set: PaymentChanges = { deadline_at: null, otp_digest: null };
    if (e.denialReason !== undefined) set.denial_reason = e.denialReason;
    if (e.failures !== undefined) set.otp_failures = e.failures;
    const release = releaseIntent(e.releaseOperationId, e.reservationUnanswered ?? false);
    return this.change(id, { event: e.event, set, audit, also: [release] }, now);
  }

  async lock(id: string) {
    return (await this.session.q.query<PaymentRecord>('SELECT * FROM payments WHERE id = $1 FOR UPDATE', [id])).rows[0];
  }

  async lockOfMerchant(id: string, merchantId: string) {
    const { rows } = await this.session.q.query<PaymentRecord>(
      'SELECT * FROM payments WHERE id = $1 AND merchant_id = $2 FOR UPDATE',
      [id, merchantId],
    );
    return rows[0];
  }

  async claimLapsed(statuses: PaymentStatus[], now: Date, limit: number) {
    const { rows } = await this.session.q.query<PaymentRecord>(
      `SELECT * FROM payments WHERE deadline_at < $1 AND status = ANY($2)
        ORDER BY deadline_at LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [now, statuses, limit],
    );
    return rows;
  }

  /**
   * One round trip: the database function `locked_spending` (migration 007) takes the advisory
   * locks and then sums what is committed; a busy merchant's day is summed only when it has a cap.
   */
  async lockSpending(
    phoneNumber: string,
    merchant: { id: string; dailyCapMinor: number | null },
    now: Date,
    excludePaymentId = '',
  ): Promise<Committed> {
    const starts = periodStarts(now);
    const { rows } = await this.session.q.query<{ phone_minor: string; merchant_minor: string }>(
      'SELECT phone_minor, merchant_minor FROM locked_spending($1, $2, $3, $4, $5, $6)',
      [
        phoneNumber,
        merchant.dailyCapMinor === null ? null : merchant.id,
        starts.month,
        starts.day,
        COMMITTED_STATES,
        excludePaymentId,
      ],
    );
    return {
      phoneThisMonthMinor: BigInt(rows[0]?.phone_minor ?? 0),
      merchantTodayMinor: BigInt(rows[0]?.merchant_minor ?? 0),
    };
  }

  /**
   * One statement: the change (only from a state that allows the event, checked by the UPDATE itself
   * so a concurrent change makes it match nothing), its audit row and its companions.
   */
  private async change(id: string, c: Change, now: Date): Promise<PaymentRecord | undefined> {
    const columns = Object.keys(c.set) as Array<keyof PaymentChanges>;
    const params: unknown[] = [id, now, ...columns.map((column) => c.set[column] ?? null)];
    const sets = ['updated_at = $2', ...columns.map((column, i) => `${column} = $${i + 3}`)];
    let where = 'id = $1';
    const event = c.event;
    if (event) {
      const allowed = statusesAllowing(event);
      const from = c.from ? allowed.filter((s) => s === c.from) : allowed;
      const to = new Set(allowed.map((s) => nextStatus(s, event)));
      if (to.size !== 1) throw new Error(`event ${event} leads to several states; apply it per state`);
      params.push([...to][0], from);
      sets.push(`status = $${params.length - 1}`);
      where += ` AND status = ANY($${params.length})`;
    } else if (c.whileIn) {
      params.push(c.whileIn);
      where += ` AND status = ANY($${params.length})`;
    }
    if (c.whileCode) {
      params.push(c.whileCode);
      where += ` AND otp_digest = $${params.length}`;
    }
    const update = `UPDATE payments SET ${sets.join(', ')} WHERE ${where} RETURNING *`;
    const companions = [auditRow(c.audit), ...(c.also ?? [])];
    const { rows } = await this.session.q.query<PaymentRecord>(withCompanions(update, params, companions), params);
    return event ? this.observed(rows[0]) : rows[0];
  }

  /** A payment that entered a state is told to the observer once it is committed. */
  private observed(payment: PaymentRecord | undefined): PaymentRecord | undefined {
    if (payment) this.session.afterCommit(() => this.observer.paymentChanged(payment));
    return payment;
  }
}
