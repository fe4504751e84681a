import { once } from 'node:events';
import { from as copyFrom } from 'pg-copy-streams';
import { EmptyStatementError, StatementFormatError, type StatementLine } from '../domain/statement.js';
import type { ImportedStatement } from '../ports/store/reconciliation.js';
import type { Transaction } from './database.js';
import type { Session } from './session.js';

const COLUMNS =
  'statement_id, line_number, event_type, carrier_transaction_id, reference_code, msisdn, event_time, ' +
  'amount_minor, tax_minor, revenue_share_minor, net_minor';
const BATCH = 500;

/**
 * Streams a parsed statement into the staging table in one transaction: a malformed line (or a
 * line of another statement) rolls everything back, so a statement is imported whole or not at
 * all. Real PostgreSQL takes the lines through `COPY … FROM STDIN`; the embedded server, which
 * cannot, takes batched multi-row INSERTs.
 */
export async function importStatement(
  session: Session,
  lines: AsyncIterable<StatementLine>,
  expected: { carrierId: string; period: string },
): Promise<ImportedStatement> {
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) throw new EmptyStatementError(2);
  const head = first.value;
  if (head.carrierId !== expected.carrierId)
    throw new StatementFormatError(head.lineNumber, `carrier_id "${head.carrierId}" is not ${expected.carrierId}`);
  if (head.billingPeriod !== expected.period)
    throw new StatementFormatError(head.lineNumber, `billing_period "${head.billingPeriod}" is not ${expected.period}`);

  return session.atomically(async (tx) => {
    const fresh = await tx.query(
      `INSERT INTO statements (statement_id, carrier_id, period, currency) VALUES ($1, $2, $3, $4)
       ON CONFLICT (statement_id) DO NOTHING RETURNING statement_id`,
      [head.statementId, head.carrierId, head.billingPeriod, head.currency],
    );
    const summary = {
      statementId: head.statementId,
      carrierId: head.carrierId,
      period: head.billingPeriod,
      currency: head.currency,
    };
    if (fresh.rowCount === 0) {
      const { rows } = await tx.query<{ line_count: number; carrier_id: string; period: string }>(
        'SELECT line_count, carrier_id, period FROM statements WHERE statement_id = $1',
        [head.statementId],
      );
      const earlier = rows[0];
      if (earlier && (earlier.carrier_id !== head.carrierId || earlier.period !== head.billingPeriod)) {
        throw new StatementFormatError(
          head.lineNumber,
          `statement_id "${head.statementId}" was already imported for ${earlier.carrier_id} ${earlier.period}`,
        );
      }
      return { ...summary, lineCount: earlier?.line_count ?? 0, alreadyImported: true };
    }
    const checked = sameStatement(head, first.value, iterator);
    const lineCount = session.supportsCopy ? await copyLines(tx, checked) : await insertLines(tx, checked);
    await tx.query('UPDATE statements SET line_count = $2 WHERE statement_id = $1', [head.statementId, lineCount]);
    return { ...summary, lineCount, alreadyImported: false };
  });
}

/** Every line after the first must belong to the same statement, carrier, period and currency. */
async function* sameStatement(
  head: StatementLine,
  first: StatementLine,
  rest: AsyncIterator<StatementLine>,
): AsyncGenerator<StatementLine> {
  yield first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) {
    const line = next.value;
    if (
      line.statementId !== head.statementId ||
      line.carrierId !== head.carrierId ||
      line.billingPeriod !== head.billingPeriod ||
      line.currency !== head.currency
    ) {
      throw new StatementFormatError(
        line.lineNumber,
        'the line belongs to another statement, carrier, period or currency',
      );
    }
    yield line;
  }
}

/** Always quoted: in COPY's CSV an unquoted empty field would be NULL, a quoted one an empty string. */
function csvField(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

function toCsvRow(l: StatementLine): string {
  return (
    [
      l.statementId,
      String(l.lineNumber),
      l.eventType,
      l.carrierTransactionId,
      l.referenceCode,
      l.msisdn,
      l.eventTime,
      String(l.amountMinor),
      String(l.taxMinor),
      String(l.revenueShareMinor),
      String(l.netMinor),
    ]
      .map(csvField)
      .join(',') + '\n'
  );
}

async function copyLines(tx: Transaction, lines: AsyncIterable<StatementLine>): Promise<number> {
  const stream = tx.client.query(copyFrom(`COPY statement_lines (${COLUMNS}) FROM STDIN (FORMAT csv)`));
  const finished = once(stream, 'finish');
  let count = 0;
  try {
    let chunk = '';
    for await (const line of lines) {
      chunk += toCsvRow(line);
      count += 1;
      // Write in chunks of a few hundred rows, and wait when PostgreSQL is slower than the file.
      if (count % BATCH === 0) {
        if (!stream.write(chunk)) await once(stream, 'drain');
        chunk = '';
      }
    }
    stream.end(chunk);
    await finished;
  } catch (error) {
    // Abort the COPY so the transaction can roll back, and report the parse error, not the abort.
    stream.destroy(error as Error);
    await finished.catch(() => undefined);
    throw error;
  }
  return count;
}

async function insertLines(tx: Transaction, lines: AsyncIterable<StatementLine>): Promise<number> {
  let batch: StatementLine[] = [];
  let count = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const values: unknown[] = [];
    const rows = batch.map((l, i) => {
      values.push(
        l.statementId,
        l.lineNumber,
        l.eventType,
        l.carrierTransactionId,
        l.referenceCode,
        l.msisdn,
        l.eventTime,
        l.amountMinor,
        l.taxMinor,
        l.revenueShareMinor,
        l.netMinor,
      );
      return `(${Array.from({ length: 11 }, (_, j) => `$${i * 11 + j + 1}`).join(', ')})`;
    });
    await tx.query(`INSERT INTO statement_lines (${COLUMNS}) VALUES ${rows.join(', ')}`, values);
    batch = [];
  };
  for await (const line of lines) {
    batch.push(line);
    count += 1;
    if (batch.length === BATCH) await flush();
  }
  await flush();
  return count;
}
