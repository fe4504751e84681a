import type { Queryable } from './database.js';

export interface TokenRow {
  merchant_id: string;
  scopes: string[];
  expires_at: Date;
  merchant_name: string;
  one_step_payments: boolean;
  validation_mode: 'validate' | 'open';
  daily_cap_minor: bigint | null;
}

export async function insertToken(
  db: Queryable,
  hash: Buffer,
  merchantId: string,
  scopes: string[],
  expiresAt: Date,
): Promise<void> {
  await db.query('INSERT INTO access_tokens (token_hash, merchant_id, scopes, expires_at) VALUES ($1, $2, $3, $4)', [
    hash,
    merchantId,
    scopes,
    expiresAt,
  ]);
}

export async function findLiveToken(db: Queryable, hash: Buffer, now: Date): Promise<TokenRow | undefined> {
  const { rows } = await db.query<TokenRow>(
    `SELECT t.merchant_id, t.scopes, t.expires_at, m.name AS merchant_name, m.one_step_payments, m.validation_mode, m.daily_cap_minor
       FROM access_tokens t JOIN merchants m ON m.id = t.merchant_id
      WHERE t.token_hash = $1 AND t.expires_at > $2`,
    [hash, now],
  );
  return rows[0];
}

export async function deleteMerchantTokens(db: Queryable, merchantId: string): Promise<void> {
  await db.query('DELETE FROM access_tokens WHERE merchant_id = $1', [merchantId]);
}

export async function deleteExpiredTokens(db: Queryable, now: Date): Promise<number> {
  return (await db.query('DELETE FROM access_tokens WHERE expires_at <= $1', [now])).rowCount ?? 0;
}
