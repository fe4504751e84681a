import type { AccessTokenStore, TokenRecord } from '../ports/store/merchants.js';
import type { Session } from './session.js';

export class AccessTokensTable implements AccessTokenStore {
  constructor(private readonly session: Session) {}

  async insert(hash: Buffer, merchantId: string, scopes: string[], expiresAt: Date) {
    await this.session.q.query(
      'INSERT INTO access_tokens (token_hash, merchant_id, scopes, expires_at) VALUES ($1, $2, $3, $4)',
      [hash, merchantId, scopes, expiresAt],
    );
  }

  async findLive(hash: Buffer, now: Date) {
    const { rows } = await this.session.q.query<TokenRecord>(
      `SELECT t.merchant_id, ARRAY(SELECT unnest(t.scopes) INTERSECT SELECT unnest(m.scopes)) AS scopes,
              t.expires_at, m.name AS merchant_name, m.one_step_payments, m.validation_mode, m.daily_cap_minor,
              m.requests_per_second, m.codes_per_minute, m.max_payment_minor
         FROM access_tokens t JOIN merchants m ON m.id = t.merchant_id
        WHERE t.token_hash = $1 AND t.expires_at > $2 AND m.disabled_at IS NULL`,
      [hash, now],
    );
    return rows[0];
  }

  async revokeAll(merchantId: string) {
    return (await this.session.q.query('DELETE FROM access_tokens WHERE merchant_id = $1', [merchantId])).rowCount ?? 0;
  }

  async deleteExpired(now: Date) {
    return (await this.session.q.query('DELETE FROM access_tokens WHERE expires_at <= $1', [now])).rowCount ?? 0;
  }
}
