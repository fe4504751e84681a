import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import {
  EVENT_TYPES,
  StatementFormatError,
  isRfc3339,
  parseSignedDecimal,
  type StatementLine,
} from '../../src/domain/statement.js';

/** The statement CSV of CONTRACTS §5: a header row, then one event per line. */
export const CSV_COLUMNS = [
  'statement_id',
  'carrier_id',
  'billing_period',
  'event_type',
  'carrier_transaction_id',
  'reference_code',
  'msisdn',
  'event_time',
  'amount',
  'currency',
  'tax_amount',
  'revenue_share_amount',
  'net_amount',
] as const;

/**
 * Streams a CONTRACTS §5 statement, one line at a time (never the whole file in memory). Any
 * malformed line stops the parse with its line number and reason.
 */
export async function* parseCsvStatement(input: Readable): AsyncGenerator<StatementLine> {
  const parser = input.pipe(parse({ relax_column_count: true, skip_empty_lines: true, bom: true }));
  let lineNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      lineNumber += 1;
      if (lineNumber === 1) {
        if (record.join(',') !== CSV_COLUMNS.join(','))
          throw new StatementFormatError(1, `header must be ${CSV_COLUMNS.join(',')}`);
        continue;
      }
      yield toLine(record, lineNumber);
    }
  } catch (error) {
    if (error instanceof StatementFormatError) throw error;
    throw new StatementFormatError(lineNumber + 1, `not valid CSV (${(error as Error).message.split('\n')[0]})`);
  }
  if (lineNumber === 0) throw new StatementFormatError(1, 'the statement is empty');
}

function toLine(record: string[], lineNumber: number): StatementLine {
  if (record.length !== CSV_COLUMNS.length)
    throw new StatementFormatError(lineNumber, `expected ${CSV_COLUMNS.length} fields, found ${record.length}`);
  const [
    statementId = '',
    carrierId = '',
    billingPeriod = '',
    eventType = '',
    carrierTransactionId = '',
    referenceCode = '',
    msisdn = '',
    eventTime = '',
    amount = '',
    currency = '',
    tax = '',
    share = '',
    net = '',
  ] = record;
  const fail = (reason: string): never => {
    throw new StatementFormatError(lineNumber, reason);
  };
  if (!statementId) fail('statement_id is empty');
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(billingPeriod)) fail(`billing_period "${billingPeriod}" is not YYYY-MM`);
  if (!EVENT_TYPES.has(eventType)) fail(`event_type "${eventType}" is not charge, refund, chargeback or adjustment`);
  if (!referenceCode) fail('reference_code is empty');
  if (!isRfc3339(eventTime)) fail(`event_time "${eventTime}" is not RFC 3339`);
  const money = (name: string, text: string) =>
    parseSignedDecimal(text, currency) ?? fail(`${name} "${text}" is not an amount in ${currency || 'the currency'}`);
  const amountMinor = money('amount', amount);
  const revenueShareMinor = money('revenue_share_amount', share);
  const netMinor = money('net_amount', net);
  if (amountMinor - revenueShareMinor !== netMinor) fail('net_amount is not amount - revenue_share_amount');
  return {
    lineNumber,
    statementId,
    carrierId,
    billingPeriod,
    eventType: eventType as StatementLine['eventType'],
    carrierTransactionId,
    referenceCode,
    msisdn,
    eventTime,
    amountMinor,
    currency,
    taxMinor: money('tax_amount', tax),
    revenueShareMinor,
    netMinor,
  };
}
