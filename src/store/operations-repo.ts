import type { CarrierOutcome } from '../ports/carrier.js';
import { alone, type CompanionWrite } from './companion-writes.js';
import type { Queryable } from './database.js';

export type OperationKind = 'charge_reservation' | 'release' | 'charge_amount' | 'refund';

export interface OperationRow {
  id: string;
  payment_id: string;
  carrier_id: string;
  operation: OperationKind;
  amount_minor: bigint;
  currency: string;
  outcome: 'pending' | 'succeeded' | 'declined' | 'not_executed' | 'unknown';
  detail: string | null;
  tries: number;
  recovery_attempts: number;
  refund_id: string | null;
}

/**
 * Writes the intent of a carrier operation before the call. The unique indexes forbid a second
 * charge or release of one payment, so a bug upstream fails here instead of charging twice.
 */
export async function recordIntent(
  tx: Queryable,
  op: Pick<OperationRow, 'id' | 'payment_id' | 'carrier_id' | 'operation' | 'amount_minor' | 'currency'> & {
    refund_id?: string;
  },
): Promise<OperationRow> {
  const { rows } = await tx.query<OperationRow>(
    `INSERT INTO carrier_operations (id, payment_id, carrier_id, operation, amount_minor, currency, refund_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [op.id, op.payment_id, op.carrier_id, op.operation, op.amount_minor, op.currency, op.refund_id ?? null],
  );
  return rows[0] as OperationRow;
}

export async function recordOutcome(
  tx: Queryable,
  id: string,
  outcome: CarrierOutcome<unknown>,
  tries: number,
  now: Date,
): Promise<void> {
  const { text, params } = alone(outcomeWrite(id, outcome, tries, now, false));
  await tx.query(text, params);
}

/**
 * Records what the carrier answered. A settled outcome (succeeded, declined) is never overwritten:
 * whoever learns it first (the request, recovery, a statement) wins. As a companion of a payment's
 * change (`withChange`), only if that change happens: otherwise whoever handles the payment's
 * other state records it, in the same transaction as what that state needs.
 */
export function outcomeWrite(
  id: string,
  outcome: CarrierOutcome<unknown>,
  tries: number,
  now: Date,
  withChange = true,
): CompanionWrite {
  const detail =
    outcome.kind === 'declined'
      ? `${outcome.carrierCode} ${outcome.reason}`
      : outcome.kind === 'succeeded'
        ? null
        : outcome.detail;
  return (param) =>
    `UPDATE carrier_operations SET outcome = ${param(outcome.kind)}, detail = ${param(detail)}, tries = tries + ${param(tries)}, completed_at = ${param(now)}
      WHERE id = ${param(id)} AND outcome NOT IN ('succeeded', 'declined')${withChange ? ' AND EXISTS (SELECT FROM u)' : ''}`;
}

/** The intent of a carrier operation on the payment of the statement's change (`u`). */
export function intentOfChange(op: Pick<OperationRow, 'id' | 'operation'>): CompanionWrite {
  return (param) =>
    `INSERT INTO carrier_operations (id, payment_id, carrier_id, operation, amount_minor, currency)
     SELECT ${param(op.id)}, u.id, u.carrier_id, ${param(op.operation)}, u.amount_minor, u.currency FROM u`;
}

/** Which operations recovery resolves: charges of payments still charging, refunds still processing. */
const RECOVERABLE = {
  charge: `JOIN payments p ON p.id = o.payment_id WHERE o.operation IN ('charge_reservation', 'charge_amount') AND p.status = 'charging'`,
  refund: `JOIN refunds r ON r.id = o.refund_id WHERE o.operation = 'refund' AND r.status = 'processing'`,
} as const;

/**
 * Claims operations whose outcome recovery must find: `unknown` ones, and `pending` ones older
 * than the grace period (their process died between intent and outcome). Each claimed row gets a
 * lease (`recovery_at`) so no other run takes it meanwhile. Times are the database's own clock,
 * the one that wrote `created_at`.
 */
export async function claimToRecover(
  tx: Queryable,
  kind: keyof typeof RECOVERABLE,
  graceSeconds: number,
  leaseSeconds: number,
  limit: number,
): Promise<OperationRow[]> {
  const { rows } = await tx.query<OperationRow>(
    `UPDATE carrier_operations SET recovery_attempts = recovery_attempts + 1, recovery_at = now() + make_interval(secs => $2)
      WHERE id IN (
        SELECT o.id FROM carrier_operations o ${RECOVERABLE[kind]}
           AND (o.outcome = 'unknown' OR (o.outcome = 'pending' AND o.created_at < now() - make_interval(secs => $1)))
           AND (o.recovery_at IS NULL OR o.recovery_at <= now())
         ORDER BY o.created_at LIMIT $3 FOR UPDATE OF o SKIP LOCKED)
      RETURNING *`,
    [graceSeconds, leaseSeconds, limit],
  );
  return rows;
}

/** After a recovery try that learned nothing: the next try in `seconds` (the claim's long lease ends). */
export async function retryRecoveryIn(tx: Queryable, id: string, seconds: number): Promise<void> {
  await tx.query('UPDATE carrier_operations SET recovery_at = now() + make_interval(secs => $2) WHERE id = $1', [
    id,
    seconds,
  ]);
}

/** Claims releases recorded but not carried out (a crash, an unreachable carrier), with a lease. */
export async function claimReleasesToRetry(
  tx: Queryable,
  now: Date,
  createdBefore: Date,
  leaseUntil: Date,
  limit: number,
): Promise<OperationRow[]> {
  const { rows } = await tx.query<OperationRow>(
    `UPDATE carrier_operations SET recovery_attempts = recovery_attempts + 1, recovery_at = $3
      WHERE id IN (
        SELECT id FROM carrier_operations
         WHERE operation = 'release' AND outcome IN ('pending', 'not_executed', 'unknown') AND recovery_attempts < 10
           AND created_at < $2 AND (recovery_at IS NULL OR recovery_at <= $1)
         ORDER BY created_at LIMIT $4 FOR UPDATE SKIP LOCKED)
      RETURNING *`,
    [now, createdBefore, leaseUntil, limit],
  );
  return rows;
}

export async function operationsOf(db: Queryable, paymentId: string): Promise<OperationRow[]> {
  return (
    await db.query<OperationRow>('SELECT * FROM carrier_operations WHERE payment_id = $1 ORDER BY created_at', [
      paymentId,
    ])
  ).rows;
}
