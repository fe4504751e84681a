import type { MerchantRecord, MerchantStore, NewMerchant } from '../ports/store/merchants.js';
import { missing } from '../ports/store/missing-row.js';
import type { Session } from './session.js';

export class MerchantsTable implements MerchantStore {
  constructor(private readonly session: Session) {}

  async insert(m: NewMerchant) {
    const { rows } = await this.session.q.query<MerchantRecord>(
      `INSERT INTO merchants (id, name, client_id, client_secret_hash, scopes, one_step_payments, validation_mode,
                              daily_cap_minor, notification_secret_encrypted)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
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

  replaceClientSecret(id: string, secretHash: string) {
    return this.session.atomically(async (q) => {
      await q.query('UPDATE merchants SET client_secret_hash = $2 WHERE id = $1', [id, secretHash]);
      await q.query('DELETE FROM access_tokens WHERE merchant_id = $1', [id]);
    });
  }
}
