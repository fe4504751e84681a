import type { Queryable } from './database.js';

export interface MerchantRow {
  id: string;
  name: string;
  client_id: string;
  client_secret_hash: string;
  scopes: string[];
  one_step_payments: boolean;
  validation_mode: 'validate' | 'open';
  daily_cap_minor: bigint | null;
  notification_secret_encrypted: string | null;
  created_at: Date;
}

export type NewMerchant = Omit<MerchantRow, 'created_at'>;

export async function insertMerchant(db: Queryable, m: NewMerchant): Promise<MerchantRow> {
  const { rows } = await db.query<MerchantRow>(
    `INSERT INTO merchants (id, name, client_id, client_secret_hash, scopes, one_step_payments, validation_mode, daily_cap_minor, notification_secret_encrypted)
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
  return rows[0] as MerchantRow;
}

export async function findMerchant(db: Queryable, id: string): Promise<MerchantRow | undefined> {
  return (await db.query<MerchantRow>('SELECT * FROM merchants WHERE id = $1', [id])).rows[0];
}

export async function findMerchantByClientId(db: Queryable, clientId: string): Promise<MerchantRow | undefined> {
  return (await db.query<MerchantRow>('SELECT * FROM merchants WHERE client_id = $1', [clientId])).rows[0];
}

export async function findMerchantByName(db: Queryable, name: string): Promise<MerchantRow | undefined> {
  return (await db.query<MerchantRow>('SELECT * FROM merchants WHERE name = $1 ORDER BY created_at LIMIT 1', [name]))
    .rows[0];
}

export async function listMerchants(db: Queryable): Promise<MerchantRow[]> {
  return (await db.query<MerchantRow>('SELECT * FROM merchants ORDER BY created_at, id')).rows;
}

export async function updateMerchantSecret(db: Queryable, id: string, secretHash: string): Promise<void> {
  await db.query('UPDATE merchants SET client_secret_hash = $2 WHERE id = $1', [id, secretHash]);
}
