import type { DeclineReason } from '../../src/ports/carrier.js';

/**
 * Parlay X fault ids and what they mean for a payment. A SOAP fault is a definite answer from the
 * carrier: the operation was not applied. Only SVC0001 (a transient service error) is worth a retry.
 */
export interface FaultMeaning {
  readonly outcome: 'declined' | 'not_executed';
  readonly reason: DeclineReason;
}

export const FAULT_CODES: Readonly<Record<string, FaultMeaning>> = {
  SVC0001: { outcome: 'not_executed', reason: 'other' }, // service error
  SVC0002: { outcome: 'declined', reason: 'other' }, // invalid input value
  SVC0004: { outcome: 'declined', reason: 'invalid_subscriber' }, // no valid addresses
  SVC0270: { outcome: 'declined', reason: 'other' }, // charging operation failed
  POL0001: { outcome: 'declined', reason: 'other' }, // policy error
  POL0253: { outcome: 'declined', reason: 'barred' }, // subscriber barred from this service
  POL1000: { outcome: 'declined', reason: 'insufficient_funds' }, // user has insufficient credit
  POL1001: { outcome: 'declined', reason: 'limit_exceeded' }, // period limit exceeded
  POL1007: { outcome: 'declined', reason: 'not_supported' }, // refunds not supported
};

/** A fault id missing from the table is still a refusal; it is kept verbatim for the audit trail. */
export const UNLISTED_FAULT: FaultMeaning = { outcome: 'declined', reason: 'other' };

/** Transport errors that prove the request never reached the carrier's application. */
export const NOT_SENT_ERRORS: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTSENT']);
