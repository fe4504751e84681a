import type { CertificateRecord, LockingCertificateStore } from '../ports/store/certificates.js';
import type { NewRedemption } from '../ports/store/redemptions.js';
import type { Queryable } from './database.js';
import type { Session } from './session.js';

export class CertificatesTable implements LockingCertificateStore {
  constructor(private readonly session: Session) {}

  async ofPayment(merchantId: string, paymentId: string) {
    const { rows } = await this.session.q.query<CertificateRecord>(
      'SELECT * FROM gift_certificates WHERE merchant_id = $1 AND payment_id = $2',
      [merchantId, paymentId],
    );
    return rows;
  }

  async markShownOnPage(id: string, now: Date) {
    const { rowCount } = await this.session.q.query(
      'UPDATE gift_certificates SET code_shown_on_page_at = $2 WHERE id = $1 AND code_shown_on_page_at IS NULL',
      [id, now],
    );
    return rowCount === 1;
  }

  async find(merchantId: string, id: string) {
    const { rows } = await this.session.q.query<CertificateRecord>(
      'SELECT * FROM gift_certificates WHERE merchant_id = $1 AND id = $2',
      [merchantId, id],
    );
    return rows[0];
  }

  async findByDigest(merchantId: string, digest: Buffer) {
    const { rows } = await this.session.q.query<CertificateRecord>(
      'SELECT * FROM gift_certificates WHERE merchant_id = $1 AND code_digest = $2',
      [merchantId, digest],
    );
    return rows[0];
  }

  redeem(id: string, amountMinor: bigint, r: NewRedemption, now: Date) {
    return this.session.atomically(async (q) => {
      const spent = await takeBalance(q, id, amountMinor, 'redeem');
      if (!spent) return undefined;
      await q.query(
        `INSERT INTO redemptions (id, certificate_id, merchant_id, amount_minor, created_at, status, buyer_phone,
                                  redeemer_account, redeemer_address, risk_reasons)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          r.id,
          id,
          r.merchantId,
          amountMinor,
          now,
          r.status,
          r.buyerPhone,
          r.redeemer?.accountId ?? null,
          r.redeemer?.ipAddress ?? null,
          r.riskReasons ? JSON.stringify(r.riskReasons) : null,
        ],
      );
      return spent;
    });
  }

  giveBack(id: string, amountMinor: bigint, now: Date) {
    return giveBackBalance(this.session.q, id, amountMinor, now);
  }

  async expireLapsed(now: Date) {
    const { rowCount } = await this.session.q.query(
      `UPDATE gift_certificates SET status = 'expired' WHERE status = 'active' AND expires_at <= $1`,
      [now],
    );
    return rowCount ?? 0;
  }

  async lockOfPayment(paymentId: string) {
    const { rows } = await this.session.q.query<CertificateRecord>(
      'SELECT * FROM gift_certificates WHERE payment_id = $1 FOR UPDATE',
      [paymentId],
    );
    return rows[0];
  }

  async lockByDigest(merchantId: string, digest: Buffer) {
    const { rows } = await this.session.q.query<CertificateRecord>(
      'SELECT * FROM gift_certificates WHERE merchant_id = $1 AND code_digest = $2 FOR UPDATE',
      [merchantId, digest],
    );
    return rows[0];
  }
}

/**
 * Takes `amount` off the balance if it is there: `refund` voids a certificate it empties, `redeem`
 * marks it redeemed. The WHERE clause makes overspending impossible even without the lock.
 */
export async function takeBalance(
  q: Queryable,
  id: string,
  amountMinor: bigint,
  reason: 'refund' | 'redeem',
): Promise<CertificateRecord | undefined> {
  const emptied = reason === 'refund' ? 'void' : 'redeemed';
  const { rows } = await q.query<CertificateRecord>(
    `UPDATE gift_certificates SET balance_minor = balance_minor - $2,
            status = CASE WHEN balance_minor - $2 = 0 THEN '${emptied}' ELSE status END
      WHERE id = $1 AND balance_minor >= $2 RETURNING *`,
    [id, amountMinor],
  );
  return rows[0];
}

/** Gives a refused refund's amount back to the certificate (active again unless it lapsed meanwhile). */
export async function giveBackBalance(q: Queryable, id: string, amountMinor: bigint, now: Date): Promise<void> {
  await q.query(
    `UPDATE gift_certificates SET balance_minor = balance_minor + $2,
            status = CASE WHEN status IN ('void', 'redeemed')
                          THEN (CASE WHEN expires_at > $3 THEN 'active' ELSE 'expired' END)
                          ELSE status END
      WHERE id = $1`,
    [id, amountMinor, now],
  );
}
