import type { PaymentEvent, PaymentStatus } from '../domain/payment-state.js';
import { nextStatus, statusesAllowing } from '../domain/payment-state.js';
import { withCompanions, type CompanionWrite } from './companion-writes.js';
import type { Queryable } from './database.js';
import { pagedSelect } from './paged-select.js';

export interface PaymentRow {
  id: string;
  merchant_id: string;
  kind: 'two_step' | 'one_step';
  status: PaymentStatus;
  client_correlator: string | null;
  request_digest: string;
  reference_code: string;
  phone_number: string;
  carrier_id: string;
  amount_minor: bigint;
  currency: string;
  description: string;
  request: Record<string, unknown>;
  sink: string | null;
  sink_credential_encrypted: string | null;
  page_token_digest: Buffer | null;
  reservation_id: string | null;
  authorization_id: string | null;
  otp_digest: Buffer | null;
  otp_sends: number;
  otp_failures: number;
  otp_sent_at: Date | null;
  deadline_at: Date | null;
  denial_reason: string | null;
  created_at: Date;
  payment_date: Date | null;
  updated_at: Date;
}

export type NewPayment = Pick<
  PaymentRow,
  | 'id'
  | 'merchant_id'
  | 'kind'
  | 'status'
  | 'client_correlator'
  | 'request_digest'
  | 'reference_code'
  | 'phone_number'
  | 'carrier_id'
  | 'amount_minor'
  | 'currency'
  | 'description'
  | 'request'
  | 'sink'
  | 'sink_credential_encrypted'
  | 'deadline_at'
>;

/**
 * Inserts a payment unless its clientCorrelator or referenceCode is already taken by a live
 * payment of the same merchant; returns undefined then. The unique indexes decide, so concurrent
 * duplicates cannot both get in. `also` is written with it (its audit row, a charge's intent).
 */
export async function insertPayment(
  db: Queryable,
  p: NewPayment,
  now: Date,
  also: CompanionWrite[] = [],
): Promise<PaymentRow | undefined> {
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
  ];
  const insert = `INSERT INTO payments (id, merchant_id, kind, status, client_correlator, request_digest, reference_code, phone_number,
                           carrier_id, amount_minor, currency, description, request, sink, sink_credential_encrypted, deadline_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)
     ON CONFLICT DO NOTHING RETURNING *`;
  const { rows } = await db.query<PaymentRow>(withCompanions(insert, params, also), params);
  return rows[0];
}

/** The live payment of a merchant holding a clientCorrelator (or else the referenceCode). */
export async function findLiveDuplicate(
  db: Queryable,
  merchantId: string,
  clientCorrelator: string | null,
  referenceCode: string,
): Promise<PaymentRow | undefined> {
  const { rows } = await db.query<PaymentRow>(
    `SELECT * FROM payments
      WHERE merchant_id = $1 AND status <> 'rejected' AND (client_correlator = $2 OR reference_code = $3)
      ORDER BY (client_correlator = $2) DESC NULLS LAST LIMIT 1`,
    [merchantId, clientCorrelator, referenceCode],
  );
  return rows[0];
}

export async function findPayment(db: Queryable, id: string): Promise<PaymentRow | undefined> {
  return (await db.query<PaymentRow>('SELECT * FROM payments WHERE id = $1', [id])).rows[0];
}

export async function findPaymentByPageToken(db: Queryable, digest: Buffer): Promise<PaymentRow | undefined> {
  return (await db.query<PaymentRow>('SELECT * FROM payments WHERE page_token_digest = $1', [digest])).rows[0];
}

/** Locks a payment for the rest of the transaction. */
export async function lockPayment(tx: Queryable, id: string): Promise<PaymentRow | undefined> {
  return (await tx.query<PaymentRow>('SELECT * FROM payments WHERE id = $1 FOR UPDATE', [id])).rows[0];
}

/** Locks a merchant's payment for the rest of the transaction. */
export async function lockMerchantPayment(
  tx: Queryable,
  id: string,
  merchantId: string,
): Promise<PaymentRow | undefined> {
  return (
    await tx.query<PaymentRow>('SELECT * FROM payments WHERE id = $1 AND merchant_id = $2 FOR UPDATE', [id, merchantId])
  ).rows[0];
}

export type PaymentChanges = Partial<
  Pick<
    PaymentRow,
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

/** What else a state change needs: writes in its statement, and the one state it may start from. */
export interface ChangeOptions {
  /** Written by the same statement, only if the change happens (see companion-writes.ts). */
  also?: CompanionWrite[];
  /** Change only from this state (one of those the event allows): the caller decided on it. */
  from?: PaymentStatus;
  /** Change only while the payment's consent code is still this one (a resend or an end replaces it). */
  otpDigest?: Buffer;
}

/**
 * Applies an event of the state machine: moves the payment only if its current state allows the
 * event (checked by the UPDATE itself, so a concurrent change makes it return undefined).
 */
export async function applyEvent(
  tx: Queryable,
  id: string,
  event: PaymentEvent,
  changes: PaymentChanges,
  now: Date,
  options: ChangeOptions = {},
): Promise<PaymentRow | undefined> {
  const allowed = statusesAllowing(event);
  const from = options.from ? allowed.filter((s) => s === options.from) : allowed;
  const to = allowed.map((s) => nextStatus(s, event));
  if (new Set(to).size !== 1) throw new Error(`event ${event} leads to several states; apply it per state`);
  return updatePayment(tx, id, changes, now, { from, to: to[0], otpDigest: options.otpDigest }, options.also);
}

/** Changes fields of a payment without changing its state (OTP counters, deadlines). */
export async function updatePaymentFields(
  tx: Queryable,
  id: string,
  changes: PaymentChanges,
  now: Date,
): Promise<PaymentRow | undefined> {
  return updatePayment(tx, id, changes, now);
}

async function updatePayment(
  tx: Queryable,
  id: string,
  changes: PaymentChanges,
  now: Date,
  move?: { from: PaymentStatus[]; to: PaymentStatus | undefined; otpDigest?: Buffer },
  also: CompanionWrite[] = [],
): Promise<PaymentRow | undefined> {
  const columns = Object.keys(changes) as Array<keyof PaymentChanges>;
  const params: unknown[] = [id, now, ...columns.map((c) => changes[c] ?? null)];
  const sets = ['updated_at = $2', ...columns.map((c, i) => `${c} = $${i + 3}`)];
  let where = 'id = $1';
  if (move?.to) {
    params.push(move.to, move.from);
    sets.push(`status = $${params.length - 1}`);
    where += ` AND status = ANY($${params.length})`;
  }
  if (move?.otpDigest) {
    params.push(move.otpDigest);
    where += ` AND otp_digest = $${params.length}`;
  }
  const update = `UPDATE payments SET ${sets.join(', ')} WHERE ${where} RETURNING *`;
  const { rows } = await tx.query<PaymentRow>(withCompanions(update, params, also), params);
  return rows[0];
}

export interface PaymentFilter {
  merchantId?: string;
  statuses?: PaymentStatus[];
  phoneNumber?: string;
  createdFrom?: Date;
  createdTo?: Date;
  chargingMerchantIdentifier?: string;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/** Payments a merchant or operator can see (never the hidden reserving/rejected ones), and their total. */
export async function listPayments(db: Queryable, f: PaymentFilter): Promise<{ rows: PaymentRow[]; total: number }> {
  return pagedSelect<PaymentRow>(
    db,
    'payments',
    [`status NOT IN ('reserving', 'rejected')`],
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

/** Payments whose state lapsed (code TTL, reservation TTL), locked for this transaction only. */
export async function claimLapsed(
  tx: Queryable,
  statuses: PaymentStatus[],
  now: Date,
  limit: number,
): Promise<PaymentRow[]> {
  const { rows } = await tx.query<PaymentRow>(
    `SELECT * FROM payments WHERE deadline_at < $1 AND status = ANY($2) ORDER BY deadline_at LIMIT $3 FOR UPDATE SKIP LOCKED`,
    [now, statuses, limit],
  );
  return rows;
}
