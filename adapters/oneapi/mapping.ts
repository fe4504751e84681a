import { toDecimalString } from '../../src/domain/money.js';
import type { CarrierOutcome, ChargeRequest, ReservationLookup, TransactionStatus } from '../../src/ports/carrier.js';
import { NOT_SENT_ERRORS, outcomeOfFault } from '../fault-ids.js';
import { DECLINING_STATUSES, NOT_EXECUTED_STATUSES } from './codes.js';

/** Pure conversions between the gateway's requests and OneAPI Payment/SMS JSON. */

export function endUserId(phoneNumber: string): string {
  return `tel:${phoneNumber}`;
}

function paymentAmount(r: Omit<ChargeRequest, 'reference' | 'phoneNumber'>) {
  return {
    chargingInformation: {
      amount: toDecimalString(r.amountMinor, r.currency),
      currency: r.currency,
      description: [r.description],
    },
  };
}

export type OperationStatus = 'Reserved' | 'Charged' | 'Released' | 'Refunded';

/** `amountTransaction` (one-step) body; the reference is both referenceCode and clientCorrelator. */
export function amountTransaction(r: ChargeRequest, status: OperationStatus) {
  return {
    amountTransaction: {
      endUserId: endUserId(r.phoneNumber),
      paymentAmount: paymentAmount(r),
      referenceCode: r.reference,
      clientCorrelator: r.reference,
      transactionOperationStatus: status,
    },
  };
}

/** `amountReservationTransaction` body for reserve, charge and release. */
export function reservationTransaction(
  r: Omit<ChargeRequest, 'reference'> & { reference?: string },
  status: OperationStatus,
) {
  return {
    amountReservationTransaction: {
      endUserId: endUserId(r.phoneNumber),
      paymentAmount: paymentAmount(r),
      ...(r.reference ? { referenceCode: r.reference, clientCorrelator: r.reference } : {}),
      transactionOperationStatus: status,
    },
  };
}

/** The last path segment of a `resourceURL`: the id of what the carrier created. */
export function idFromResourceUrl(resourceUrl: unknown): string | undefined {
  if (typeof resourceUrl !== 'string') return undefined;
  const id = resourceUrl.split('/').filter(Boolean).at(-1);
  return id ? decodeURIComponent(id) : undefined;
}

export interface HttpFailure {
  readonly code?: string;
  readonly status?: number;
  readonly body?: unknown;
}

/**
 * Classifies a failed call: an exception names its id; a refused connection or 503 was not executed;
 * the rest is unknown.
 */
export function classifyFailure(failure: HttpFailure): CarrierOutcome<never> {
  const error = (failure.body as { requestError?: Record<string, { messageId?: unknown }> } | undefined)?.requestError;
  const exception = error?.policyException ?? error?.serviceException;
  const id = typeof exception?.messageId === 'string' ? exception.messageId : undefined;
  if (id) return outcomeOfFault(id);
  if (failure.code && NOT_SENT_ERRORS.has(failure.code)) return { kind: 'not_executed', detail: failure.code };
  if (failure.status !== undefined && NOT_EXECUTED_STATUSES.has(failure.status))
    return { kind: 'not_executed', detail: `HTTP ${failure.status}` };
  if (failure.status !== undefined && DECLINING_STATUSES.has(failure.status))
    return { kind: 'declined', reason: 'other', carrierCode: `HTTP ${failure.status}` };
  return {
    kind: 'unknown',
    detail: failure.code ?? (failure.status !== undefined ? `HTTP ${failure.status}` : 'no reply'),
  };
}

/** Reads a transaction list answered to a status query by clientCorrelator. */
export function transactionStatusOf(body: unknown, wanted: 'Charged' | 'Refunded'): TransactionStatus {
  const list = (body as { paymentTransactionList?: { amountTransaction?: unknown } } | undefined)
    ?.paymentTransactionList;
  if (!list) return 'unknown';
  const transactions = Array.isArray(list.amountTransaction) ? list.amountTransaction : [];
  const statuses = transactions.map((t) => (t as { transactionOperationStatus?: unknown }).transactionOperationStatus);
  if (statuses.includes(wanted)) return 'applied';
  // Only an empty list says "never applied"; any other status (still processing…) says nothing yet.
  return statuses.length === 0 ? 'not_applied' : 'unknown';
}

/**
 * The reservation made under `reference`, from a query by clientCorrelator: one still `Reserved`
 * is held; an empty list, or only reservations under it already charged or released, hold
 * nothing; anything else (no list, a status in between) says nothing yet. Entries under another
 * clientCorrelator are never taken for it, should a carrier ignore the filter.
 */
export function reservationLookupOf(body: unknown, reference: string): ReservationLookup {
  const list = (body as { reservationTransactionList?: { amountReservationTransaction?: unknown } } | undefined)
    ?.reservationTransactionList;
  if (!list || !Array.isArray(list.amountReservationTransaction)) return { kind: 'unknown' };
  const mine = (
    list.amountReservationTransaction as Array<{
      clientCorrelator?: unknown;
      transactionOperationStatus?: unknown;
      resourceURL?: unknown;
    }>
  ).filter((t) => t.clientCorrelator === reference);
  const reservationId = idFromResourceUrl(mine.find((t) => t.transactionOperationStatus === 'Reserved')?.resourceURL);
  if (reservationId) return { kind: 'held', reservationId };
  const over = mine.every(
    (t) => t.transactionOperationStatus === 'Charged' || t.transactionOperationStatus === 'Released',
  );
  return over ? { kind: 'none' } : { kind: 'unknown' };
}
