import type { Committed } from '../domain/spending-limits.js';
import type { Queryable } from './database.js';

/** Payment states whose amount counts against limits: held, being charged, or charged. */
const COMMITTED_STATES = ['reserving', 'pending_validation', 'reserved', 'charging', 'manual_review', 'succeeded'];

/**
 * Serialises limit checks for one phone number and one merchant until the transaction ends, so
 * two concurrent payments cannot both fit under a limit that only one of them fits.
 */
export async function lockSpending(tx: Queryable, phoneNumber: string, merchantId: string, merchantCapped: boolean): Promise<void> {
  // Two-key advisory locks: namespace 1 for phones, 2 for merchants (apart from the jobs' one-key locks).
  await tx.query('SELECT pg_advisory_xact_lock(1, hashtext($1))', [phoneNumber]);
  if (merchantCapped) await tx.query('SELECT pg_advisory_xact_lock(2, hashtext($1))', [merchantId]);
}

/**
 * What a phone number committed this month (refunds give it back) and, for a merchant with a daily
 * cap, what it committed today (summing a busy merchant's day costs; it is skipped when uncapped).
 */
export async function committedAmounts(tx: Queryable, phoneNumber: string, merchantId: string | null, monthStart: Date, dayStart: Date, excludePaymentId = ''): Promise<Committed> {
  const { rows } = await tx.query<{ phone: bigint; merchant: bigint }>(
    `SELECT
       COALESCE((SELECT sum(amount_minor) FROM payments WHERE phone_number = $1 AND COALESCE(payment_date, created_at) >= $3 AND status = ANY($5) AND id <> $6), 0)
       - COALESCE((SELECT sum(r.amount_minor) FROM refunds r JOIN payments p ON p.id = r.payment_id
                    WHERE p.phone_number = $1 AND COALESCE(p.payment_date, p.created_at) >= $3 AND r.status = 'succeeded'), 0) AS phone,
       CASE WHEN $2::text IS NULL THEN 0
            ELSE COALESCE((SELECT sum(amount_minor) FROM payments WHERE merchant_id = $2 AND created_at >= $4 AND status = ANY($5) AND id <> $6), 0) END AS merchant`,
    [phoneNumber, merchantId, monthStart, dayStart, COMMITTED_STATES, excludePaymentId],
  );
  return { phoneThisMonthMinor: BigInt(rows[0]?.phone ?? 0n), merchantTodayMinor: BigInt(rows[0]?.merchant ?? 0n) };
}
