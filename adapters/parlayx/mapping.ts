import { toDecimalString } from '../../src/domain/money.js';
import type { CarrierOutcome } from '../../src/ports/carrier.js';
import { NOT_SENT_ERRORS, outcomeOfFault } from '../fault-ids.js';

/** Pure conversions between the gateway's requests and Parlay X message parts. */

export function endUserIdentifier(phoneNumber: string): string {
  return `tel:${phoneNumber}`;
}

export function chargingInformation(description: string, amountMinor: bigint, currency: string) {
  return { description, currency, amount: toDecimalString(amountMinor, currency) };
}

/** What a failed SOAP call looked like from the client's side. */
export interface CallFailure {
  /** Transport error code (ECONNREFUSED, ECONNABORTED, ...), if any. */
  readonly code?: string;
  /** HTTP status of the reply, if one arrived. */
  readonly status?: number;
  /** Raw reply body, if one arrived. */
  readonly body?: string;
}

const FAULT_ID = /<(?:[\w-]+:)?messageId>\s*([A-Z]{3}\d{4})\s*</;

/**
 * Classifies a failed call: a fault names its id; a refused connection or a 503 before acceptance
 * is not executed; anything else after the request left (timeout, reset, garbage) is unknown.
 */
export function classifyFailure(failure: CallFailure): CarrierOutcome<never> {
  const faultId = failure.body ? FAULT_ID.exec(failure.body)?.[1] : undefined;
  if (faultId) return outcomeOfFault(faultId);
  if (failure.code && NOT_SENT_ERRORS.has(failure.code)) return { kind: 'not_executed', detail: failure.code };
  if (failure.status === 503) return { kind: 'not_executed', detail: 'HTTP 503' };
  return { kind: 'unknown', detail: failure.code ?? (failure.status ? `HTTP ${failure.status}` : 'no reply') };
}
