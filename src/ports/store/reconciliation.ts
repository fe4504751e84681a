import type { DiscrepancyClass, StatementLine } from '../../domain/statement.js';

export interface ImportedStatement {
  statementId: string;
  carrierId: string;
  period: string;
  currency: string;
  lineCount: number;
  /** True when this statement was imported before: nothing was read or written again. */
  alreadyImported: boolean;
}

export interface RunRecord {
  id: string;
  statement_id: string;
  carrier_id: string;
  period: string;
  currency: string;
  counts: Record<string, number>;
  /** Minor units, as decimal strings. */
  totals: Record<string, string>;
  created_at: Date;
}

export interface DiscrepancyRecord {
  id: bigint;
  run_id: string;
  class: DiscrepancyClass;
  reference_code: string;
  payment_id: string | null;
  gateway_amount: bigint | null;
  carrier_amount: bigint | null;
  detail: string;
  resolved_at: Date | null;
  resolution_note: string | null;
}

/** Carrier statements and their reconciliation runs. */
export interface ReconciliationStore {
  /**
   * Imports a statement whole or not at all (a malformed line, or a line of another statement,
   * rolls everything back: StatementFormatError). The same statement id again imports nothing.
   */
  importStatement(
    lines: AsyncIterable<StatementLine>,
    expected: { carrierId: string; period: string },
  ): Promise<ImportedStatement>;
  /**
   * The run of an imported statement: the existing one, or a new one under `runId` that classifies
   * every difference between the statement and the gateway's settled operations of that carrier
   * between `from` and `to`. Two reconciliations of one statement queue; the second finds the first's run.
   */
  recordRun(
    statement: ImportedStatement,
    runId: string,
    bounds: { from: Date; to: Date },
    now: Date,
  ): Promise<{ run: RunRecord; fresh: boolean }>;
  findRun(runId: string): Promise<RunRecord | undefined>;
  listRuns(limit: number): Promise<RunRecord[]>;
  discrepancies(
    runId: string,
    cls: DiscrepancyClass | undefined,
    limit: number,
    offset: number,
  ): Promise<DiscrepancyRecord[]>;
  resolveDiscrepancy(runId: string, id: string, note: string, now: Date): Promise<DiscrepancyRecord | undefined>;
}
