import { DISCREPANCY_CLASSES, type DiscrepancyClass, type StatementLine } from '../domain/statement.js';
import type {
  DiscrepancyRecord,
  ImportedStatement,
  ReconciliationStore,
  RunRecord,
} from '../ports/store/reconciliation.js';
import type { Queryable, Transaction } from './database.js';
import type { Session } from './session.js';
import { importStatement } from './statement-import.js';

export class ReconciliationTables implements ReconciliationStore {
  constructor(private readonly session: Session) {}

  importStatement(lines: AsyncIterable<StatementLine>, expected: { carrierId: string; period: string }) {
    return importStatement(this.session, lines, expected);
  }

  recordRun(statement: ImportedStatement, runId: string, bounds: { from: Date; to: Date }, now: Date) {
    return this.session.atomically(async (tx) => {
      // Serialises two reconciliations of one statement: the second finds the first's run.
      await tx.query('SELECT 1 FROM statements WHERE statement_id = $1 FOR UPDATE', [statement.statementId]);
      const existing = await runOfStatement(tx, statement.statementId);
      if (existing) return { run: existing, fresh: false };
      const { counts, totals } = await classifyStatement(
        tx,
        runId,
        statement.statementId,
        statement.carrierId,
        bounds.from,
        bounds.to,
      );
      const run: RunRecord = {
        id: runId,
        statement_id: statement.statementId,
        carrier_id: statement.carrierId,
        period: statement.period,
        currency: statement.currency,
        counts,
        totals: Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, v.toString()])),
        created_at: now,
      };
      await tx.query(
        `INSERT INTO reconciliation_runs (id, statement_id, carrier_id, period, currency, counts, totals)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          run.id,
          run.statement_id,
          run.carrier_id,
          run.period,
          run.currency,
          JSON.stringify(run.counts),
          JSON.stringify(run.totals),
        ],
      );
      return { run, fresh: true };
    });
  }

  async findRun(runId: string) {
    return (await this.session.q.query<RunRecord>('SELECT * FROM reconciliation_runs WHERE id = $1', [runId])).rows[0];
  }

  async listRuns(limit: number) {
    const { rows } = await this.session.q.query<RunRecord>(
      'SELECT * FROM reconciliation_runs ORDER BY created_at DESC LIMIT $1',
      [limit],
    );
    return rows;
  }

  async discrepancies(runId: string, cls: DiscrepancyClass | undefined, limit: number, offset: number) {
    const { rows } = await this.session.q.query<DiscrepancyRecord>(
      `SELECT * FROM reconciliation_discrepancies WHERE run_id = $1 AND ($2::text IS NULL OR class = $2)
        ORDER BY id LIMIT $3 OFFSET $4`,
      [runId, cls ?? null, limit, offset],
    );
    return rows;
  }

  async resolveDiscrepancy(runId: string, id: string, note: string, now: Date) {
    const { rows } = await this.session.q.query<DiscrepancyRecord>(
      `UPDATE reconciliation_discrepancies SET resolved_at = $4, resolution_note = $3
        WHERE run_id = $1 AND id = $2 RETURNING *`,
      [runId, id, note, now],
    );
    return rows[0];
  }
}

async function runOfStatement(q: Queryable, statementId: string): Promise<RunRecord | undefined> {
  const { rows } = await q.query<RunRecord>('SELECT * FROM reconciliation_runs WHERE statement_id = $1', [statementId]);
  return rows[0];
}

/**
 * Compares a statement with the gateway's own settled charges and refunds of that carrier and
 * period, in set-based SQL: both sides are keyed by (reference, type), joined, and every pair
 * classified at once. Matched pairs are only counted; every other class becomes a discrepancy row.
 */
async function classifyStatement(
  tx: Transaction,
  runId: string,
  statementId: string,
  carrierId: string,
  from: Date,
  to: Date,
): Promise<{ counts: Record<string, number>; totals: Record<string, bigint> }> {
  await tx.query(
    `CREATE TEMP TABLE reconciliation_pairs ON COMMIT DROP AS
     WITH gw AS (
       SELECT o.id AS reference, CASE WHEN o.operation = 'refund' THEN 'refund' ELSE 'charge' END AS type,
              CASE WHEN o.operation = 'refund' THEN -o.amount_minor ELSE o.amount_minor END AS amount, o.payment_id
         FROM carrier_operations o
        WHERE o.carrier_id = $2 AND o.outcome = 'succeeded'
          AND o.operation IN ('charge_reservation', 'charge_amount', 'refund')
          AND o.completed_at >= $3 AND o.completed_at < $4
     ),
     st AS (
       SELECT reference_code AS reference, event_type AS type, count(*) AS lines, min(amount_minor) AS amount
         FROM statement_lines WHERE statement_id = $1 GROUP BY reference_code, event_type
     ),
     pairs AS (
       SELECT COALESCE(st.reference, gw.reference) AS reference, st.type AS st_type, gw.type AS gw_type, st.lines,
              st.amount AS carrier_amount, gw.amount AS gateway_amount, gw.payment_id
         FROM st FULL JOIN gw ON gw.reference = st.reference AND gw.type = st.type
     )
     SELECT p.*,
            bool_or(p.st_type IS NOT NULL) OVER (PARTITION BY p.reference) AS on_statement,
            bool_or(p.gw_type IS NOT NULL) OVER (PARTITION BY p.reference) AS at_gateway,
            -- What the gateway recorded under this reference, whatever the type (for status mismatches).
            max(p.gw_type) OVER (PARTITION BY p.reference) AS gw_type_any,
            max(p.gateway_amount) OVER (PARTITION BY p.reference) AS gateway_amount_any
       FROM pairs p`,
    [statementId, carrierId, from, to],
  );
  await tx.query(
    `ALTER TABLE reconciliation_pairs ADD COLUMN class text;
     UPDATE reconciliation_pairs SET class = CASE
       WHEN st_type IS NOT NULL AND lines > 1 THEN 'duplicate_at_carrier'
       WHEN st_type IS NOT NULL AND gw_type IS NOT NULL AND carrier_amount <> gateway_amount THEN 'amount_mismatch'
       WHEN st_type IS NOT NULL AND gw_type IS NOT NULL THEN 'matched'
       WHEN st_type IS NOT NULL AND at_gateway THEN 'status_mismatch'
       WHEN st_type IS NOT NULL THEN 'missing_at_gateway'
       WHEN on_statement THEN NULL
       ELSE 'missing_at_carrier' END`,
  );
  await tx.query(
    `INSERT INTO reconciliation_discrepancies
            (run_id, class, reference_code, payment_id, gateway_amount, carrier_amount, detail)
     SELECT $1, p.class, p.reference, COALESCE(p.payment_id, o.payment_id),
            CASE WHEN p.class = 'status_mismatch' THEN p.gateway_amount_any ELSE p.gateway_amount END,
            p.carrier_amount,
            CASE p.class
              WHEN 'duplicate_at_carrier'
                THEN format('the statement lists %s %s lines for this reference', p.lines, p.st_type)
              WHEN 'amount_mismatch' THEN 'both sides have it with different amounts'
              WHEN 'status_mismatch'
                THEN format('the statement says %s, the gateway recorded %s', p.st_type, p.gw_type_any)
              WHEN 'missing_at_gateway' THEN
                CASE WHEN o.id IS NULL THEN 'the gateway sent no operation with this reference'
                     ELSE format('the gateway''s %s has outcome %s', o.operation, o.outcome) END
              ELSE 'the gateway recorded it; the statement lacks it' END
       FROM reconciliation_pairs p LEFT JOIN carrier_operations o ON o.id = p.reference
      WHERE p.class IS NOT NULL AND p.class <> 'matched'`,
    [runId],
  );
  const counts: Record<string, number> = Object.fromEntries(DISCREPANCY_CLASSES.map((c) => [c, 0]));
  for (const row of (
    await tx.query<{ class: string; n: bigint }>(
      'SELECT class, count(*) AS n FROM reconciliation_pairs WHERE class IS NOT NULL GROUP BY class',
    )
  ).rows) {
    counts[row.class] = Number(row.n);
  }
  const { rows } = await tx.query<{
    // sum() of bigint is numeric, which arrives as text.
    gateway: string | null;
    carrier: string | null;
    share: string | null;
    net: string | null;
  }>(
    `SELECT (SELECT sum(gateway_amount) FROM reconciliation_pairs) AS gateway,
            sum(amount_minor) AS carrier, sum(revenue_share_minor) AS share, sum(net_minor) AS net
       FROM statement_lines WHERE statement_id = $1`,
    [statementId],
  );
  const t = rows[0];
  const gateway = BigInt(t?.gateway ?? 0);
  const carrier = BigInt(t?.carrier ?? 0);
  return {
    counts,
    totals: {
      gatewayAmount: gateway,
      carrierAmount: carrier,
      revenueShareAmount: BigInt(t?.share ?? 0),
      netAmount: BigInt(t?.net ?? 0),
      difference: carrier - gateway,
    },
  };
}
