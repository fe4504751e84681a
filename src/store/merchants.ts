import type { MerchantChanges, MerchantRecord, MerchantStore, NewMerchant } from '../ports/store/merchants.js';
import { missing } from '../ports/store/missing-row.js';
import type { Session } from './session.js';

export class MerchantsTable implements MerchantStore {
  constructor(private readonly session: Session) {}

  async insert(m: NewMerchant) {
    const { rows } = await this.session.q.query<MerchantRecord>(
      `INSERT INTO merchants (id, name, client_id, client_secret_hash, scopes, one_step_payments, validation_mode,
                              daily_cap_minor, notification_secret_encrypted, category)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
      [
        m.id,
        m.name,
        m.client_id,
        m.client_secret_hash,
        m.scopes,
        m.one_step_payments,
        m.validation_mode,
        m.daily_cap_minor,
        m.notification_secret_encrypted,
        m.category ?? 'other',
      ],
    );
    return rows[0] ?? missing('merchants', m.id);
  }

  async find(id: string) {
    return (await this.session.q.query<MerchantRecord>('SELECT * FROM merchants WHERE id = $1', [id])).rows[0];
  }

  async findByClientId(clientId: string) {
    const { rows } = await this.session.q.query<MerchantRecord>('SELECT * FROM merchants WHERE client_id = $1', [
      clientId,
    ]);
    return rows[0];
  }

  async findByName(name: string) {
    const { rows } = await this.session.q.query<MerchantRecord>(
      'SELECT * FROM merchants WHERE name = $1 ORDER BY created_at LIMIT 1',
      [name],
    );
    return rows[0];
  }

  async list() {
    return (await this.session.q.query<MerchantRecord>('SELECT * FROM merchants ORDER BY created_at, id')).rows;
  }

  async upgradeSecretHash(id: string, from: string, to: string) {
    await this.session.q.query(
      'UPDATE merchants SET client_secret_hash = $3 WHERE id = $1 AND client_secret_hash = $2',
      [id, from, to],
    );
  }

  async rotateClientSecret(id: string, secretHash: string, previousValidUntil: Date) {
    const { rows } = await this.session.q.query<MerchantRecord>(
      `UPDATE merchants SET previous_secret_hash = client_secret_hash, previous_secret_valid_until = $3,
                            client_secret_hash = $2
        WHERE id = $1 RETURNING *`,
      [id, secretHash, previousValidUntil],
    );
    return rows[0];
  }

  async update(id: string, changes: MerchantChanges) {
    // Only the columns named here can be set, whatever else the object carries.
    const columns = [
      'name',
      'scopes',
      'one_step_payments',
      'validation_mode',
      'completion_mode',
      'daily_cap_minor',
      'requests_per_second',
      'reads_per_second',
      'writes_per_second',
      'codes_per_minute',
      'max_payment_minor',
      'redirect_uris',
      'category',
    ] as const;
    const set = columns.filter((c) => changes[c] !== undefined);
    if (set.length === 0) return this.find(id);
    const { rows } = await this.session.q.query<MerchantRecord>(
      `UPDATE merchants SET ${set.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1 RETURNING *`,
      [id, ...set.map((c) => changes[c])],
    );
    return rows[0];
  }

  async setDisabled(id: string, disabledAt: Date | null) {
    const { rows } = await this.session.q.query<MerchantRecord>(
      `WITH changed AS (
         UPDATE merchants SET disabled_at = $2,
                token_generation = token_generation + CASE WHEN $2::timestamptz IS NULL THEN 0 ELSE 1 END
          WHERE id = $1 RETURNING *),
            revoked AS (DELETE FROM access_tokens WHERE $2::timestamptz IS NOT NULL AND merchant_id IN (SELECT id FROM changed))
       SELECT * FROM changed`,
      [id, disabledAt],
    );
    return rows[0];
  }
}
