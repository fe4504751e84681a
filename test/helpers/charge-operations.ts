import type pg from 'pg';

/** A charge the gateway recorded, with its payment's state and how many certificates it issued. */
export interface ChargeOperation {
  id: string;
  payment_id: string;
  carrier_id: string;
  status: string;
  certificates: string;
}

/**
 * Every charge operation in the gateway's database (its id is the reference the carrier saw),
 * for audits against the carriers' ledgers (chaos and fault tests).
 */
export async function chargeOperations(db: pg.Client): Promise<ChargeOperation[]> {
  const { rows } = await db.query<ChargeOperation>(
    `SELECT o.id, o.payment_id, o.carrier_id, p.status,
            (SELECT count(*) FROM gift_certificates g WHERE g.payment_id = p.id) AS certificates
       FROM carrier_operations o JOIN payments p ON p.id = o.payment_id
      WHERE o.operation IN ('charge_reservation', 'charge_amount')`,
  );
  return rows;
}
