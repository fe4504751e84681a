import type { CarrierOutcome } from '../ports/carrier.js';
import type { Queryable } from './database.js';

export type OperationKind = 'charge_reservation' | 'release' | 'charge_amount';

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
}

/**
 * Writes the intent of a carrier operation before the call. The unique indexes forbid a second
 * charge or release of one payment, so a bug upstream fails here instead of charging twice.
 */
export async function recordIntent(
  tx: Queryable,
  op: Pick<OperationRow, 'id' | 'payment_id' | 'carrier_id' | 'operation' | 'amount_minor' | 'currency'>,
): Promise<OperationRow> {
  const { rows } = await tx.query<OperationRow>(
    `INSERT INTO carrier_operations (id, payment_id, carrier_id, operation, amount_minor, currency)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [op.id, op.payment_id, op.carrier_id, op.operation, op.amount_minor, op.currency],
  );
  return rows[0] as OperationRow;
}

export async function recordOutcome(tx: Queryable, id: string, outcome: CarrierOutcome<unknown>, tries: number, now: Date): Promise<void> {
  const detail = outcome.kind === 'declined' ? `${outcome.carrierCode} ${outcome.reason}` : outcome.kind === 'succeeded' ? null : outcome.detail;
  await tx.query(
    `UPDATE carrier_operations SET outcome = $2, detail = $3, tries = tries + $4, completed_at = $5 WHERE id = $1`,
    [id, outcome.kind, detail, tries, now],
  );
}

/** Releases that were recorded but not carried out (a crash, or the carrier was unreachable). */
export async function openReleases(db: Queryable, olderThan: Date, limit: number): Promise<OperationRow[]> {
  const { rows } = await db.query<OperationRow>(
    `SELECT * FROM carrier_operations WHERE operation = 'release' AND outcome IN ('pending', 'not_executed', 'unknown') AND tries < 10 AND created_at < $1
      ORDER BY created_at LIMIT $2`,
    [olderThan, limit],
  );
  return rows;
}

export async function operationsOf(db: Queryable, paymentId: string): Promise<OperationRow[]> {
  return (await db.query<OperationRow>('SELECT * FROM carrier_operations WHERE payment_id = $1 ORDER BY created_at', [paymentId])).rows;
}
