import type { Queryable } from './database.js';

export interface CertificateRow {
  id: string;
  payment_id: string;
  merchant_id: string;
  code_digest: Buffer;
  code_encrypted: string;
  face_minor: bigint;
  balance_minor: bigint;
  currency: string;
  status: 'active' | 'redeemed' | 'void' | 'expired';
  issued_at: Date;
  expires_at: Date;
}

export type NewCertificate = Omit<CertificateRow, 'status' | 'balance_minor'>;

export async function insertCertificate(tx: Queryable, c: NewCertificate): Promise<CertificateRow> {
  const { rows } = await tx.query<CertificateRow>(
    `INSERT INTO gift_certificates (id, payment_id, merchant_id, code_digest, code_encrypted, face_minor, balance_minor, currency, status, issued_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6, $7, 'active', $8, $9) RETURNING *`,
    [c.id, c.payment_id, c.merchant_id, c.code_digest, c.code_encrypted, c.face_minor, c.currency, c.issued_at, c.expires_at],
  );
  return rows[0] as CertificateRow;
}

export async function certificatesOfPayment(db: Queryable, merchantId: string, paymentId: string): Promise<CertificateRow[]> {
  return (await db.query<CertificateRow>('SELECT * FROM gift_certificates WHERE merchant_id = $1 AND payment_id = $2', [merchantId, paymentId])).rows;
}

export async function findCertificate(db: Queryable, merchantId: string, id: string): Promise<CertificateRow | undefined> {
  return (await db.query<CertificateRow>('SELECT * FROM gift_certificates WHERE merchant_id = $1 AND id = $2', [merchantId, id])).rows[0];
}
