import type { Queryable } from './database.js';

/** The tables of agreements a phone user confirms with an SMS code (consents, subscriptions). */
type AgreementTable = 'consents' | 'subscriptions';

/**
 * A wrong code for a pending agreement, counted; at `maxAttempts` failures the agreement is denied
 * and its code forgotten, in the same statement. The count after, or undefined when not pending.
 */
export async function recordWrongAgreementCode(
  q: Queryable,
  table: AgreementTable,
  id: string,
  maxAttempts: number,
): Promise<number | undefined> {
  const { rows } = await q.query<{ otp_failures: number }>(
    `UPDATE ${table} SET otp_failures = otp_failures + 1,
            status = CASE WHEN otp_failures + 1 >= $2 THEN 'denied' ELSE status END,
            otp_digest = CASE WHEN otp_failures + 1 >= $2 THEN NULL ELSE otp_digest END
      WHERE id = $1 AND status = 'pending_validation' RETURNING otp_failures`,
    [id, maxAttempts],
  );
  return rows[0]?.otp_failures;
}

/** A pending agreement whose code lapsed ends denied; the row after, or undefined when not pending. */
export async function denyPendingAgreement<R>(q: Queryable, table: AgreementTable, id: string): Promise<R | undefined> {
  const { rows } = await q.query<R & Record<string, unknown>>(
    `UPDATE ${table} SET status = 'denied', otp_digest = NULL WHERE id = $1 AND status = 'pending_validation' RETURNING *`,
    [id],
  );
  return rows[0];
}
