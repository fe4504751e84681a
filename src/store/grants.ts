import type {
  AuthorizationRequestRecord,
  GrantRecord,
  GrantStore,
  NewAuthorizationRequest,
} from '../ports/store/grants.js';
import type { Session } from './session.js';

const REQUEST = `id, merchant_id, flow, phone_number, scopes, status, otp_digest, otp_failures, expires_at,
  next_poll_at, redirect_uri, state, code_challenge, code_expires_at, grant_id, created_at`;

export class GrantsTable implements GrantStore {
  constructor(private readonly session: Session) {}

  async recordRequest(r: NewAuthorizationRequest) {
    await this.session.q.query(
      `INSERT INTO authorization_requests (id, merchant_id, flow, phone_number, scopes, status, page_digest,
              auth_req_digest, otp_digest, expires_at, next_poll_at, redirect_uri, state, code_challenge, created_at)
       VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        r.id,
        r.merchant_id,
        r.flow,
        r.phone_number,
        r.scopes,
        r.page_digest,
        r.auth_req_digest,
        r.otp_digest,
        r.expires_at,
        r.next_poll_at,
        r.redirect_uri,
        r.state,
        r.code_challenge,
        r.created_at,
      ],
    );
  }

  private async oneRequest(where: string, params: unknown[]) {
    const { rows } = await this.session.q.query<AuthorizationRequestRecord>(
      `SELECT ${REQUEST} FROM authorization_requests WHERE ${where}`,
      params,
    );
    return rows[0];
  }

  findRequestByPage(pageDigest: Buffer) {
    return this.oneRequest('page_digest = $1', [pageDigest]);
  }

  findRequestByAuthReqId(merchantId: string, digest: Buffer) {
    return this.oneRequest(`auth_req_digest = $1 AND merchant_id = $2 AND flow = 'ciba'`, [digest, merchantId]);
  }

  findRequestByCode(merchantId: string, digest: Buffer) {
    return this.oneRequest(`code_digest = $1 AND merchant_id = $2 AND flow = 'authorization_code'`, [
      digest,
      merchantId,
    ]);
  }

  async recordWrongCode(requestId: string, maxAttempts: number) {
    const { rows } = await this.session.q.query<{ otp_failures: number }>(
      `UPDATE authorization_requests
          SET otp_failures = otp_failures + 1,
              status = CASE WHEN otp_failures + 1 >= $2 THEN 'denied' ELSE status END
        WHERE id = $1 AND status = 'pending' RETURNING otp_failures`,
      [requestId, maxAttempts],
    );
    return rows[0]?.otp_failures;
  }

  async deny(requestId: string) {
    const { rowCount } = await this.session.q.query(
      `UPDATE authorization_requests SET status = 'denied' WHERE id = $1 AND status = 'pending'`,
      [requestId],
    );
    return rowCount === 1;
  }

  async approve(
    requestId: string,
    grant: Omit<GrantRecord, 'revoked_at' | 'revoked_by'>,
    code?: { digest: Buffer; expiresAt: Date },
  ) {
    // One statement: the request moves only while pending and in time, and the grant is written with it.
    const { rows } = await this.session.q.query<GrantRecord>(
      `WITH approved AS (
         UPDATE authorization_requests SET status = 'approved', grant_id = $2, code_digest = $8, code_expires_at = $9
          WHERE id = $1 AND status = 'pending' AND expires_at > $7 RETURNING id)
       INSERT INTO access_grants (id, merchant_id, phone_number, scopes, flow, created_at)
       SELECT $2, $3, $4, $5, $6, $7 FROM approved
       RETURNING *`,
      [
        requestId,
        grant.id,
        grant.merchant_id,
        grant.phone_number,
        grant.scopes,
        grant.flow,
        grant.created_at,
        code?.digest ?? null,
        code?.expiresAt ?? null,
      ],
    );
    return rows[0];
  }

  async pollAt(requestId: string, now: Date, next: Date) {
    const { rowCount } = await this.session.q.query(
      `UPDATE authorization_requests SET next_poll_at = $3
        WHERE id = $1 AND (next_poll_at IS NULL OR next_poll_at <= $2)`,
      [requestId, now, next],
    );
    return rowCount === 1;
  }

  async markIssued(requestId: string) {
    const { rowCount } = await this.session.q.query(
      `UPDATE authorization_requests SET status = 'issued' WHERE id = $1 AND status = 'approved'`,
      [requestId],
    );
    return rowCount === 1;
  }

  async findGrant(id: string) {
    const { rows } = await this.session.q.query<GrantRecord>('SELECT * FROM access_grants WHERE id = $1', [id]);
    return rows[0];
  }

  async listGrants(filter: { phoneNumber?: string; merchantId?: string; limit: number }) {
    const { rows } = await this.session.q.query<GrantRecord>(
      `SELECT * FROM access_grants
        WHERE ($1::text IS NULL OR phone_number = $1) AND ($2::text IS NULL OR merchant_id = $2)
        ORDER BY created_at DESC LIMIT $3`,
      [filter.phoneNumber ?? null, filter.merchantId ?? null, filter.limit],
    );
    return rows;
  }

  async revoke(id: string, by: string, at: Date) {
    // The outer SELECT sees the table as it was before the statement: the row just revoked comes
    // from `revoked`, one revoked earlier from the table.
    const { rows } = await this.session.q.query<GrantRecord>(
      `WITH revoked AS (
         UPDATE access_grants SET revoked_at = $3, revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING *),
            gone AS (DELETE FROM access_tokens WHERE grant_id IN (SELECT id FROM revoked))
       SELECT * FROM revoked
       UNION ALL SELECT * FROM access_grants WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM revoked)`,
      [id, by, at],
    );
    return rows[0];
  }

  async revokeAllOfPhone(phoneNumber: string, by: string, at: Date, merchantId?: string) {
    const { rows } = await this.session.q.query<GrantRecord>(
      `WITH revoked AS (
         UPDATE access_grants SET revoked_at = $3, revoked_by = $2
          WHERE phone_number = $1 AND revoked_at IS NULL AND ($4::text IS NULL OR merchant_id = $4) RETURNING *),
            gone AS (DELETE FROM access_tokens WHERE grant_id IN (SELECT id FROM revoked))
       SELECT * FROM revoked`,
      [phoneNumber, by, at, merchantId ?? null],
    );
    return rows;
  }

  async deleteExpiredRequests(before: Date) {
    const { rowCount } = await this.session.q.query(
      `DELETE FROM authorization_requests
        WHERE expires_at <= $1 AND (code_expires_at IS NULL OR code_expires_at <= $1)`,
      [before],
    );
    return rowCount ?? 0;
  }
}
