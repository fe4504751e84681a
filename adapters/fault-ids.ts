import type { CarrierOutcome, DeclineReason } from '../src/ports/carrier.js';

/**
 * The service and policy exception ids that Parlay X faults and GSMA OneAPI `requestError`s share,
 * and what each means for a payment. An answered fault is definite: nothing was applied. Only
 * SVC0001 (a transient service error) is worth a retry.
 */
const FAULT_IDS: Readonly<Record<string, { outcome: 'declined' | 'not_executed'; reason: DeclineReason }>> = {
  SVC0001: { outcome: 'not_executed', reason: 'other' }, // service error
  SVC0002: { outcome: 'declined', reason: 'invalid_input' }, // invalid input value
  SVC0004: { outcome: 'declined', reason: 'invalid_subscriber' }, // no valid addresses
  SVC0270: { outcome: 'declined', reason: 'other' }, // charging operation failed
  POL0001: { outcome: 'declined', reason: 'other' }, // policy error
  POL0253: { outcome: 'declined', reason: 'barred' }, // subscriber barred from this service
  POL1000: { outcome: 'declined', reason: 'insufficient_funds' }, // user has insufficient credit
  POL1001: { outcome: 'declined', reason: 'limit_exceeded' }, // period limit exceeded
  POL1007: { outcome: 'declined', reason: 'not_supported' }, // refunds not supported
};

/**
 * The outcome a fault id stands for; an id missing from the table is still a refusal, kept verbatim
 * for the audit trail.
 */
export function outcomeOfFault(id: string): CarrierOutcome<never> {
  const meaning = FAULT_IDS[id] ?? { outcome: 'declined', reason: 'other' };
  return meaning.outcome === 'declined'
    ? { kind: 'declined', reason: meaning.reason, carrierCode: id }
    : { kind: 'not_executed', detail: `fault ${id}` };
}

/** Transport errors that prove the request never reached the carrier's application. */
export const NOT_SENT_ERRORS: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTSENT',
]);
