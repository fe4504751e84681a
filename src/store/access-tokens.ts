import type { AccessTokenStore, NewToken, TokenRecord } from '../ports/store/merchants.js';
import type { Session } from './session.js';

export class AccessTokensTable implements AccessTokenStore {
  constructor(private readonly session: Session) {}

  async insertIfStillValid(t: NewToken) {
    const { rowCount } = await this.session.q.query(
      `INSERT INTO access_tokens (token_hash, merchant_id, scopes, expires_at, generation, grant_id)
       SELECT $1, m.id, $3, $4, m.token_generation, $8 FROM merchants m
        WHERE m.id = $2 AND m.disabled_at IS NULL AND m.token_generation = $5
          AND (m.client_secret_hash = $6 OR (m.previous_secret_hash = $6 AND m.previous_secret_valid_until > $7))
          AND ($8::text IS NULL OR EXISTS (
                SELECT 1 FROM access_grants g WHERE g.id = $8 AND g.merchant_id = m.id AND g.revoked_at IS NULL))`,
      [t.hash, t.merchantId, t.scopes, t.expiresAt, t.generation, t.secretHash, t.now, t.grantId ?? null],
    );
    return rowCount === 1;
  }

  async findLive(hash: Buffer, now: Date) {
    const { rows } = await this.session.q.query<TokenRecord>(
      `SELECT t.merchant_id, ARRAY(SELECT unnest(t.scopes) INTERSECT SELECT unnest(m.scopes)) AS scopes,
              t.expires_at, m.name AS merchant_name, m.one_step_payments, m.validation_mode, m.completion_mode, m.category,
              m.daily_cap_minor,
              m.requests_per_second, m.reads_per_second, m.writes_per_second, m.codes_per_minute, m.max_payment_minor,
              g.phone_number, t.grant_id
         FROM access_tokens t JOIN merchants m ON m.id = t.merchant_id
         LEFT JOIN access_grants g ON g.id = t.grant_id
        WHERE t.token_hash = $1 AND t.expires_at > $2 AND m.disabled_at IS NULL
          AND t.generation = m.token_generation AND (t.grant_id IS NULL OR g.revoked_at IS NULL)`,
      [hash, now],
    );
    return rows[0];
  }

  async revokeAll(merchantId: string) {
    const { rows } = await this.session.q.query<{ n: number }>(
      `WITH next AS (UPDATE merchants SET token_generation = token_generation + 1 WHERE id = $1 RETURNING id),
            gone AS (DELETE FROM access_tokens WHERE merchant_id IN (SELECT id FROM next) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [merchantId],
    );
    return rows[0]?.n ?? 0;
  }

  async deleteExpired(now: Date) {
    return (await this.session.q.query('DELETE FROM access_tokens WHERE expires_at <= $1', [now])).rowCount ?? 0;
  }
}
