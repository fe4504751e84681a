import type { Queryable } from './database.js';

/** Advisory-lock keys of the scheduled jobs: arbitrary constants, one per job. */
export const JOB_LOCKS = {
  expiry: 7_240_002,
  recovery: 7_240_004,
  refundRecovery: 7_240_005,
  statements: 7_240_006,
  notifications: 7_240_007,
} as const;

/**
 * Takes a job's advisory lock for the rest of the transaction, if no other instance holds it.
 * Transaction-scoped, so it needs no connection of its own (the embedded database has only one).
 */
export async function tryJobLock(tx: Queryable, key: number): Promise<boolean> {
  const { rows } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [key]);
  return rows[0]?.locked === true;
}
