import { exponentOf } from './money.js';

/** One event of a carrier's monthly settlement statement, amounts in signed minor units. */
export interface StatementLine {
  readonly lineNumber: number;
  readonly statementId: string;
  readonly carrierId: string;
  readonly billingPeriod: string;
  readonly eventType: 'charge' | 'refund' | 'chargeback' | 'adjustment';
  readonly carrierTransactionId: string;
  readonly referenceCode: string;
  readonly msisdn: string;
  readonly eventTime: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly taxMinor: bigint;
  readonly revenueShareMinor: bigint;
  readonly netMinor: bigint;
}

/** How a reconciliation classifies each reference of a statement against the gateway's own records. */
export const DISCREPANCY_CLASSES = [
  'matched',
  'missing_at_carrier',
  'missing_at_gateway',
  'amount_mismatch',
  'status_mismatch',
  'duplicate_at_carrier',
] as const;
export type DiscrepancyClass = (typeof DISCREPANCY_CLASSES)[number];

export const EVENT_TYPES: ReadonlySet<string> = new Set(['charge', 'refund', 'chargeback', 'adjustment']);

/** A statement that cannot be read: which line, and why. Nothing of it is imported. */
export class StatementFormatError extends Error {
  constructor(
    readonly lineNumber: number,
    readonly reason: string,
  ) {
    super(`line ${lineNumber}: ${reason}`);
  }
}

/** A statement without a single event: nothing to reconcile (a quiet month). */
export class EmptyStatementError extends StatementFormatError {
  constructor(lineNumber: number) {
    super(lineNumber, 'the statement has no lines');
  }
}

/** A signed decimal in a currency ("-1500", "12.30") to minor units; never rounds. */
export function parseSignedDecimal(text: string, currency: string): bigint | undefined {
  const exponent = exponentOf(currency);
  const match = /^(-?)(\d{1,15})(?:\.(\d+))?$/.exec(text.trim());
  if (exponent === undefined || !match) return undefined;
  const [, sign, whole = '0', fraction = ''] = match;
  if (fraction.length > exponent) return undefined;
  const minor = BigInt(whole) * 10n ** BigInt(exponent) + BigInt(fraction.padEnd(exponent, '0') || '0');
  return sign === '-' ? -minor : minor;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** A real RFC 3339 instant with a time zone (no 30 February, no expanded years). */
export function isRfc3339(text: string): boolean {
  const m = RFC3339.exec(text);
  if (!m) return false;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const date = new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1));
  return (
    date.getUTCMonth() === (mo ?? 1) - 1 && date.getUTCDate() === d && (h ?? 0) < 24 && (mi ?? 0) < 60 && (s ?? 0) < 60
  );
}

/** `YYYY-MM` to the first instants of that month and the next, in UTC. */
export function periodBounds(period: string): { from: Date; to: Date } | undefined {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]) - 1;
  return { from: new Date(Date.UTC(year, month, 1)), to: new Date(Date.UTC(year, month + 1, 1)) };
}

/** The month before `now` as `YYYY-MM` (what the monthly job reconciles). */
export function previousPeriod(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}
