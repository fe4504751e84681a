import type { CompanionWrite } from './companion-writes.js';
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

/** The certificate written by the statement that makes its payment (`u`) succeed. */
export function certificateOfChange(c: NewCertificate): CompanionWrite {
  return (param) => {
    const face = param(c.face_minor);
    return `INSERT INTO gift_certificates (id, payment_id, merchant_id, code_digest, code_encrypted, face_minor, balance_minor, currency, status, issued_at, expires_at)
     SELECT ${param(c.id)}, u.id, u.merchant_id, ${param(c.code_digest)}, ${param(c.code_encrypted)}, ${face}, ${face}, ${param(c.currency)}, 'active', ${param(c.issued_at)}, ${param(c.expires_at)} FROM u`;
  };
}

export async function certificatesOfPayment(
  db: Queryable,
  merchantId: string,
  paymentId: string,
): Promise<CertificateRow[]> {
  return (
    await db.query<CertificateRow>('SELECT * FROM gift_certificates WHERE merchant_id = $1 AND payment_id = $2', [
      merchantId,
      paymentId,
    ])
  ).rows;
}

export async function findCertificate(
  db: Queryable,
  merchantId: string,
  id: string,
): Promise<CertificateRow | undefined> {
  return (
    await db.query<CertificateRow>('SELECT * FROM gift_certificates WHERE merchant_id = $1 AND id = $2', [
      merchantId,
      id,
    ])
  ).rows[0];
}

/** The certificate of a payment, locked: refunds and redemptions of it queue behind each other. */
export async function lockCertificateOfPayment(tx: Queryable, paymentId: string): Promise<CertificateRow | undefined> {
  return (
    await tx.query<CertificateRow>('SELECT * FROM gift_certificates WHERE payment_id = $1 FOR UPDATE', [paymentId])
  ).rows[0];
}

export async function lockCertificateByDigest(
  tx: Queryable,
  merchantId: string,
  digest: Buffer,
): Promise<CertificateRow | undefined> {
  return (
    await tx.query<CertificateRow>(
      'SELECT * FROM gift_certificates WHERE merchant_id = $1 AND code_digest = $2 FOR UPDATE',
      [merchantId, digest],
    )
  ).rows[0];
}

export async function findCertificateByDigest(
  db: Queryable,
  merchantId: string,
  digest: Buffer,
): Promise<CertificateRow | undefined> {
  return (
    await db.query<CertificateRow>('SELECT * FROM gift_certificates WHERE merchant_id = $1 AND code_digest = $2', [
      merchantId,
      digest,
    ])
  ).rows[0];
}

/**
 * Takes `amount` off the balance if it is there: `reason` refund voids a certificate it empties,
 * `redeem` marks it redeemed. The WHERE clause makes overspending impossible even without the lock.
 */
export async function takeBalance(
  tx: Queryable,
  id: string,
  amountMinor: bigint,
  reason: 'refund' | 'redeem',
): Promise<CertificateRow | undefined> {
  const emptied = reason === 'refund' ? 'void' : 'redeemed';
  const { rows } = await tx.query<CertificateRow>(
    `UPDATE gift_certificates SET balance_minor = balance_minor - $2,
            status = CASE WHEN balance_minor - $2 = 0 THEN '${emptied}' ELSE status END
      WHERE id = $1 AND balance_minor >= $2 RETURNING *`,
    [id, amountMinor],
  );
  return rows[0];
}

/** Gives a refused refund's amount back to the certificate (active again unless it lapsed meanwhile). */
export async function giveBackBalance(tx: Queryable, id: string, amountMinor: bigint, now: Date): Promise<void> {
  await tx.query(
    `UPDATE gift_certificates SET balance_minor = balance_minor + $2,
            status = CASE WHEN status IN ('void', 'redeemed') THEN (CASE WHEN expires_at > $3 THEN 'active' ELSE 'expired' END) ELSE status END
      WHERE id = $1`,
    [id, amountMinor, now],
  );
}

export async function insertRedemption(
  tx: Queryable,
  r: { id: string; certificate_id: string; merchant_id: string; amount_minor: bigint },
  now: Date,
): Promise<void> {
  await tx.query(
    'INSERT INTO redemptions (id, certificate_id, merchant_id, amount_minor, created_at) VALUES ($1, $2, $3, $4, $5)',
    [r.id, r.certificate_id, r.merchant_id, r.amount_minor, now],
  );
}

/** Marks active certificates past their validity expired; returns how many. */
export async function expireCertificates(db: Queryable, now: Date): Promise<number> {
  return (
    (
      await db.query(`UPDATE gift_certificates SET status = 'expired' WHERE status = 'active' AND expires_at <= $1`, [
        now,
      ])
    ).rowCount ?? 0
  );
}
