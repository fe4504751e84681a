import { COMMITTED_STATES } from '../domain/spending-limits.js';
import type { ConsentRecord, ConsentStore, NewConsent } from '../ports/store/consents.js';
import type { Session } from './session.js';
import { denyPendingAgreement, recordWrongAgreementCode } from './agreement-codes.js';

export class ConsentsTable implements ConsentStore {
  constructor(private readonly session: Session) {}

  async insert(c: NewConsent) {
    const { rows } = await this.session.q.query<ConsentRecord>(
      `INSERT INTO consents (id, merchant_id, phone_number, carrier_id, description, currency, max_per_charge_minor,
              max_per_month_minor, expires_at, status, authorization_id, otp_digest, code_deadline_at, sink,
              sink_credential_encrypted, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending_validation', $10, $11, $12, $13, $14, $15)
       RETURNING *`,
      [
        c.id,
        c.merchant_id,
        c.phone_number,
        c.carrier_id,
        c.description,
        c.currency,
        c.max_per_charge_minor,
        c.max_per_month_minor,
        c.expires_at,
        c.authorization_id,
        c.otp_digest,
        c.code_deadline_at,
        c.sink,
        c.sink_credential_encrypted,
        c.created_at,
      ],
    );
    return rows[0] as ConsentRecord;
  }

  async find(id: string) {
    return (await this.session.q.query<ConsentRecord>('SELECT * FROM consents WHERE id = $1', [id])).rows[0];
  }

  async list(filter: { merchantId?: string; phoneNumber?: string; limit: number }) {
    const { rows } = await this.session.q.query<ConsentRecord>(
      `SELECT * FROM consents
        WHERE ($1::text IS NULL OR merchant_id = $1) AND ($2::text IS NULL OR phone_number = $2)
        ORDER BY created_at DESC LIMIT $3`,
      [filter.merchantId ?? null, filter.phoneNumber ?? null, filter.limit],
    );
    return rows;
  }

  async endActive(merchantId: string, phoneNumber: string, replacedBy: string, now: Date) {
    await this.session.q.query(
      `UPDATE consents SET status = 'revoked', revoked_at = $4, revoked_by = 'replaced:' || $3
        WHERE merchant_id = $1 AND phone_number = $2 AND status = 'active' AND id <> $3`,
      [merchantId, phoneNumber, replacedBy, now],
    );
  }

  async activate(id: string, whileCode: Buffer, now: Date) {
    const { rows } = await this.session.q.query<ConsentRecord>(
      `UPDATE consents SET status = 'active', activated_at = $3, otp_digest = NULL, code_deadline_at = NULL
        WHERE id = $1 AND status = 'pending_validation' AND otp_digest = $2 AND code_deadline_at > $3
       RETURNING *`,
      [id, whileCode, now],
    );
    return rows[0];
  }

  recordWrongCode(id: string, maxAttempts: number) {
    return recordWrongAgreementCode(this.session.q, 'consents', id, maxAttempts);
  }

  deny(id: string) {
    return denyPendingAgreement<ConsentRecord>(this.session.q, 'consents', id);
  }

  async revoke(id: string, by: string, at: Date) {
    // The outer SELECT sees the table before the statement: the row just revoked comes from `revoked`.
    const { rows } = await this.session.q.query<ConsentRecord>(
      `WITH revoked AS (
         UPDATE consents SET status = 'revoked', revoked_at = $3, revoked_by = $2, otp_digest = NULL
          WHERE id = $1 AND status IN ('pending_validation', 'active') RETURNING *)
       SELECT * FROM revoked
       UNION ALL SELECT * FROM consents WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM revoked)`,
      [id, by, at],
    );
    return rows[0];
  }

  async revokeAllOfPhone(phoneNumber: string, by: string, at: Date, merchantId?: string) {
    const { rows } = await this.session.q.query<ConsentRecord>(
      `UPDATE consents SET status = 'revoked', revoked_at = $3, revoked_by = $2, otp_digest = NULL
        WHERE phone_number = $1 AND status IN ('pending_validation', 'active') AND ($4::text IS NULL OR merchant_id = $4)
       RETURNING *`,
      [phoneNumber, by, at, merchantId ?? null],
    );
    return rows;
  }

  async activeFor(merchantId: string, phoneNumber: string, now: Date) {
    const { rows } = await this.session.q.query<ConsentRecord>(
      `SELECT * FROM consents WHERE merchant_id = $1 AND phone_number = $2 AND status = 'active'
          AND (expires_at IS NULL OR expires_at > $3)`,
      [merchantId, phoneNumber, now],
    );
    return rows[0];
  }

  async chargedSince(consentId: string, since: Date, excludePaymentId = '') {
    const { rows } = await this.session.q.query<{ total: string | null }>(
      `SELECT sum(amount_minor)::text AS total FROM payments
        WHERE consent_id = $1 AND created_at >= $2 AND status = ANY($3) AND id <> $4`,
      [consentId, since, COMMITTED_STATES, excludePaymentId],
    );
    return BigInt(rows[0]?.total ?? 0);
  }
}
