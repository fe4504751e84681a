import type {
  NewSubscription,
  RenewalOutcome,
  SubscriptionRecord,
  SubscriptionStore,
} from '../ports/store/subscriptions.js';
import type { Session } from './session.js';
import { denyPendingAgreement, recordWrongAgreementCode } from './agreement-codes.js';

const LIVE = `('pending_validation', 'active', 'past_due', 'suspended')`;

export class SubscriptionsTable implements SubscriptionStore {
  constructor(private readonly session: Session) {}

  async insert(s: NewSubscription) {
    const { rows } = await this.session.q.query<SubscriptionRecord>(
      `INSERT INTO subscriptions (id, merchant_id, phone_number, carrier_id, description, currency, amount_minor, period,
              status, authorization_id, otp_digest, code_deadline_at, sink, sink_credential_encrypted, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending_validation', $9, $10, $11, $12, $13, $14) RETURNING *`,
      [
        s.id,
        s.merchant_id,
        s.phone_number,
        s.carrier_id,
        s.description,
        s.currency,
        s.amount_minor,
        s.period,
        s.authorization_id,
        s.otp_digest,
        s.code_deadline_at,
        s.sink,
        s.sink_credential_encrypted,
        s.created_at,
      ],
    );
    return rows[0] as SubscriptionRecord;
  }

  async find(id: string) {
    return (await this.session.q.query<SubscriptionRecord>('SELECT * FROM subscriptions WHERE id = $1', [id])).rows[0];
  }

  async list(filter: { merchantId?: string; phoneNumber?: string; limit: number }) {
    const { rows } = await this.session.q.query<SubscriptionRecord>(
      `SELECT * FROM subscriptions
        WHERE ($1::text IS NULL OR merchant_id = $1) AND ($2::text IS NULL OR phone_number = $2)
        ORDER BY created_at DESC LIMIT $3`,
      [filter.merchantId ?? null, filter.phoneNumber ?? null, filter.limit],
    );
    return rows;
  }

  recordWrongCode(id: string, maxAttempts: number) {
    return recordWrongAgreementCode(this.session.q, 'subscriptions', id, maxAttempts);
  }

  async deny(id: string) {
    await denyPendingAgreement(this.session.q, 'subscriptions', id);
  }

  async activate(id: string, whileCode: Buffer, now: Date, leaseUntil: Date) {
    const { rows } = await this.session.q.query<SubscriptionRecord>(
      `UPDATE subscriptions SET status = 'active', otp_digest = NULL, code_deadline_at = NULL, anchor_at = $3,
              next_period = 0, next_try = 0, next_charge_at = $3, leased_until = $4
        WHERE id = $1 AND status = 'pending_validation' AND otp_digest = $2 AND code_deadline_at > $3
       RETURNING *`,
      [id, whileCode, now, leaseUntil],
    );
    return rows[0];
  }

  async claimDue(now: Date, leaseUntil: Date, limit: number) {
    const { rows } = await this.session.q.query<SubscriptionRecord>(
      `UPDATE subscriptions SET leased_until = $2
        WHERE id IN (SELECT id FROM subscriptions
                      WHERE status IN ('active', 'past_due') AND next_charge_at <= $1
                        AND (leased_until IS NULL OR leased_until <= $1)
                      ORDER BY next_charge_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [now, leaseUntil, limit],
    );
    return rows;
  }

  async recordRenewal(id: string, period: number, attempt: number, outcome: RenewalOutcome, now: Date) {
    const next =
      outcome.kind === 'charged'
        ? { status: 'active', period: period + 1, attempt: 0, at: outcome.nextChargeAt }
        : outcome.kind === 'retry'
          ? { status: 'past_due', period, attempt: attempt + 1, at: outcome.nextChargeAt }
          : { status: outcome.kind, period, attempt, at: null };
    const { rows } = await this.session.q.query<SubscriptionRecord>(
      `UPDATE subscriptions SET status = $4, next_period = $5, next_try = $6, next_charge_at = $7, leased_until = NULL,
              cancelled_at = CASE WHEN $4 = 'cancelled' THEN $8::timestamptz ELSE cancelled_at END
        WHERE id = $1 AND next_period = $2 AND next_try = $3 AND status IN ('active', 'past_due')
       RETURNING *`,
      [id, period, attempt, next.status, next.period, next.attempt, next.at, now],
    );
    return rows[0];
  }

  async release(id: string) {
    await this.session.q.query('UPDATE subscriptions SET leased_until = NULL WHERE id = $1', [id]);
  }

  async claimReminders(before: Date, limit: number) {
    const { rows } = await this.session.q.query<SubscriptionRecord>(
      `UPDATE subscriptions SET reminded_period = next_period
        WHERE id IN (SELECT id FROM subscriptions
                      WHERE status = 'active' AND NOT cancel_at_period_end AND next_charge_at <= $1 AND next_period > 0
                        AND (reminded_period IS NULL OR reminded_period < next_period)
                      ORDER BY next_charge_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [before, limit],
    );
    return rows;
  }

  async cancel(id: string, by: string, at: Date, atPeriodEnd: boolean) {
    // The outer SELECT sees the table before the statement: the row just changed comes from `changed`.
    const { rows } = await this.session.q.query<SubscriptionRecord>(
      `WITH changed AS (
         UPDATE subscriptions SET
           status = CASE WHEN $4 AND status IN ('active', 'past_due') THEN status ELSE 'cancelled' END,
           cancel_at_period_end = $4 AND status IN ('active', 'past_due'),
           cancelled_at = CASE WHEN $4 AND status IN ('active', 'past_due') THEN NULL ELSE $3::timestamptz END,
           cancelled_by = $2, otp_digest = NULL
          WHERE id = $1 AND status IN ${LIVE} RETURNING *)
       SELECT * FROM changed UNION ALL SELECT * FROM subscriptions WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM changed)`,
      [id, by, at, atPeriodEnd],
    );
    return rows[0];
  }

  async cancelAllOfPhone(phoneNumber: string, by: string, at: Date, merchantId?: string) {
    const { rows } = await this.session.q.query<SubscriptionRecord>(
      `UPDATE subscriptions SET status = 'cancelled', cancelled_at = $3, cancelled_by = $2, otp_digest = NULL
        WHERE phone_number = $1 AND status IN ${LIVE} AND ($4::text IS NULL OR merchant_id = $4) RETURNING *`,
      [phoneNumber, by, at, merchantId ?? null],
    );
    return rows;
  }

  async charges(id: string) {
    const { rows } = await this.session.q.query<{ payment_id: string; period: number; status: string }>(
      `SELECT id AS payment_id, subscription_period AS period, status FROM payments
        WHERE subscription_id = $1 ORDER BY created_at`,
      [id],
    );
    return rows;
  }
}
