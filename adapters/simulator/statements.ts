import type { CarrierLedger, LedgerEntry } from './ledger.js';
import { formatAmount } from './money.js';

/** The header of a CONTRACTS §5 statement, as the carrier writes it. */
const CSV_HEADER =
  'statement_id,carrier_id,billing_period,event_type,carrier_transaction_id,reference_code,msisdn,' +
  'event_time,amount,currency,tax_amount,revenue_share_amount,net_amount';

/** What the carrier keeps of each charge, in basis points (30 %), as the demo configuration says. */
const REVENUE_SHARE_BP = 3000n;

interface Event {
  readonly entry: LedgerEntry;
  readonly amount: bigint;
  readonly share: bigint;
}

function eventsOf(ledger: CarrierLedger, period: string): Event[] {
  return ledger.entries
    .filter((e) => e.at.toISOString().startsWith(period))
    .map((entry) => {
      const amount = entry.type === 'charge' ? entry.amountMinor : -entry.amountMinor;
      return { entry, amount, share: (amount * REVENUE_SHARE_BP) / 10_000n };
    });
}

/** A month of the simulated carrier's books as the CONTRACTS §5 CSV. */
export function statementCsv(ledger: CarrierLedger, period: string): string {
  const id = `${ledger.options.carrierId}-${period}`;
  const rows = eventsOf(ledger, period).map(({ entry: e, amount, share }) =>
    [
      id,
      ledger.options.carrierId,
      period,
      e.type,
      e.carrierTransactionId,
      e.referenceCode,
      e.msisdn,
      e.at.toISOString(),
      formatAmount(amount, e.currency),
      e.currency,
      formatAmount(0n, e.currency),
      formatAmount(share, e.currency),
      formatAmount(amount - share, e.currency),
    ].join(','),
  );
  return [CSV_HEADER, ...rows].join('\n') + '\n';
}

/** The same month in the header/detail/trailer format, amounts in minor units, with control totals. */
export function statementHeaderTrailer(ledger: CarrierLedger, period: string, currency: string): string {
  const events = eventsOf(ledger, period);
  const lines = [`HDR|${ledger.options.carrierId}-${period}|${ledger.options.carrierId}|${period}|${currency}`];
  for (const { entry: e, amount, share } of events) {
    lines.push(
      [
        'DTL',
        e.type === 'charge' ? 'C' : 'R',
        e.carrierTransactionId,
        e.referenceCode,
        e.msisdn,
        e.at.toISOString(),
        amount,
        0,
        share,
        amount - share,
      ].join('|'),
    );
  }
  const sum = (f: (e: Event) => bigint) => events.reduce((total, e) => total + f(e), 0n);
  lines.push(`TRL|${events.length}|${sum((e) => e.amount)}|${sum((e) => e.amount - e.share)}`);
  return lines.join('\n') + '\n';
}
