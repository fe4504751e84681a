import type { LockingRedemptionStore, RedeemerHistory, RedemptionRecord } from '../ports/store/redemptions.js';
import type { Session } from './session.js';

export class RedemptionsTable implements LockingRedemptionStore {
  constructor(private readonly session: Session) {}

  async find(id: string) {
    const { rows } = await this.session.q.query<RedemptionRecord>(
      `SELECT r.*, g.currency FROM redemptions r JOIN gift_certificates g ON g.id = r.certificate_id WHERE r.id = $1`,
      [id],
    );
    return rows[0];
  }

  async held(limit: number) {
    const { rows } = await this.session.q.query<RedemptionRecord & { total: number }>(
      `SELECT r.*, g.currency, (count(*) OVER ())::int AS total
         FROM redemptions r JOIN gift_certificates g ON g.id = r.certificate_id
        WHERE r.status = 'held' ORDER BY r.created_at LIMIT $1`,
      [limit],
    );
    return { rows, total: rows[0]?.total ?? 0 };
  }

  async topRedeemers(since: Date, limit: number) {
    const { rows } = await this.session.q.query<{
      merchant_id: string;
      redeemer_account: string;
      buyers: number;
      redemptions: number;
    }>(
      `SELECT merchant_id, redeemer_account, count(DISTINCT buyer_phone)::int AS buyers, count(*)::int AS redemptions
         FROM redemptions WHERE redeemer_account IS NOT NULL AND created_at >= $1
        GROUP BY 1, 2 ORDER BY 3 DESC, 4 DESC LIMIT $2`,
      [since, limit],
    );
    return rows.map((r) => ({
      merchantId: r.merchant_id,
      accountId: r.redeemer_account,
      buyers: r.buyers,
      redemptions: r.redemptions,
    }));
  }

  async lockRedeemerHistory(
    r: { merchantId: string; certificateId: string; buyerPhone: string; accountId?: string; ipAddress?: string },
    since: Date,
  ): Promise<RedeemerHistory> {
    const account = r.accountId ?? null;
    const address = r.ipAddress ?? null;
    // The locks first, in a statement of their own (in one order, so two redemptions cannot wait
    // for each other): what is read next is read under them.
    await this.session.q.query(
      `SELECT pg_advisory_xact_lock(hashtextextended(key, 0))
         FROM (VALUES ('redeemer-account:' || $1 || ':' || $2), ('redeemer-address:' || $1 || ':' || $3),
                      ('redeemer-buyer:' || $1 || ':' || $4)) AS k(key)
        WHERE key IS NOT NULL ORDER BY key`,
      [r.merchantId, account, address, r.buyerPhone],
    );
    const { rows } = await this.session.q.query<{
      first_redeemer: string | null;
      account_buyers: string[];
      address_buyers: string[];
      flagged: boolean;
    }>(
      `SELECT (SELECT redeemer_account FROM redemptions
                WHERE merchant_id = $1 AND buyer_phone = $2 AND redeemer_account IS NOT NULL AND status <> 'refused'
                ORDER BY created_at LIMIT 1) AS first_redeemer,
              ARRAY(SELECT DISTINCT buyer_phone FROM redemptions
                     WHERE merchant_id = $1 AND redeemer_account = $3 AND created_at >= $5 AND buyer_phone IS NOT NULL
                       AND status <> 'refused') AS account_buyers,
              ARRAY(SELECT DISTINCT buyer_phone FROM redemptions
                     WHERE merchant_id = $1 AND redeemer_address = $4 AND created_at >= $5 AND buyer_phone IS NOT NULL
                       AND status <> 'refused') AS address_buyers,
              EXISTS (SELECT 1 FROM flagged_redeemers
                       WHERE merchant_id = $1 AND ((kind = 'account' AND value = $3) OR (kind = 'address' AND value = $4)
                                                   OR (kind = 'certificate' AND value = $6))) AS flagged`,
      [r.merchantId, r.buyerPhone, account, address, since, r.certificateId],
    );
    const row = rows[0];
    return {
      ...(row?.first_redeemer ? { buyersFirstRedeemer: row.first_redeemer } : {}),
      accountBuyers: row?.account_buyers ?? [],
      addressBuyers: row?.address_buyers ?? [],
      flagged: row?.flagged ?? false,
    };
  }

  async decide(id: string, outcome: 'completed' | 'refused', by: string, now: Date) {
    const { rows } = await this.session.q.query<RedemptionRecord>(
      `UPDATE redemptions r SET status = $2, decided_by = $3, decided_at = $4 FROM gift_certificates g
        WHERE r.id = $1 AND r.status = 'held' AND g.id = r.certificate_id RETURNING r.*, g.currency`,
      [id, outcome, by, now],
    );
    return rows[0];
  }

  async flag(
    r: Pick<RedemptionRecord, 'merchant_id' | 'certificate_id' | 'redeemer_account' | 'redeemer_address'>,
    by: string,
    now: Date,
  ) {
    await this.session.q.query(
      `INSERT INTO flagged_redeemers (kind, merchant_id, value, flagged_by, flagged_at)
       SELECT kind, $1, value, $5, $6
         FROM (VALUES ('account', $2), ('address', $3), ('certificate', $4)) AS f(kind, value)
        WHERE value IS NOT NULL
       ON CONFLICT DO NOTHING`,
      [r.merchant_id, r.redeemer_account, r.redeemer_address, r.certificate_id, by, now],
    );
  }
}
