import { periodStarts, type Committed } from '../domain/spending-limits.js';
import type { Queryable } from './database.js';

/** Payment states whose amount counts against limits: held, being charged, or charged. */
const COMMITTED_STATES = ['reserving', 'pending_validation', 'reserved', 'charging', 'manual_review', 'succeeded'];

/**
 * Locks spending for one phone number (and, when it has a daily cap, one merchant) until the
 * transaction ends, so two concurrent payments cannot both fit under a limit that only one of them
 * fits; then returns what the phone committed this month (refunds give it back) and the capped
 * merchant today (a busy merchant's day is summed only when it has a cap). One round trip: the
 * database function `locked_spending` (migration 007) takes the locks before it sums.
 */
export async function lockedSpending(
  tx: Queryable,
  phoneNumber: string,
  merchant: { id: string; dailyCapMinor: number | null },
  now: Date,
  excludePaymentId = '',
): Promise<Committed> {
  const starts = periodStarts(now);
  const { rows } = await tx.query<{ phone_minor: string; merchant_minor: string }>(
    'SELECT phone_minor, merchant_minor FROM locked_spending($1, $2, $3, $4, $5, $6)',
    [
      phoneNumber,
      merchant.dailyCapMinor === null ? null : merchant.id,
      starts.month,
      starts.day,
      COMMITTED_STATES,
      excludePaymentId,
    ],
  );
  return {
    phoneThisMonthMinor: BigInt(rows[0]?.phone_minor ?? 0),
    merchantTodayMinor: BigInt(rows[0]?.merchant_minor ?? 0),
  };
}
