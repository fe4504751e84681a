import type { DeclineReason } from '../../src/ports/carrier.js';

/**
 * GSMA OneAPI exception ids (carried in `requestError.serviceException|policyException`) and what
 * they mean for a payment. An answered exception is definite: nothing was applied.
 */
export const EXCEPTION_IDS: Readonly<Record<string, { outcome: 'declined' | 'not_executed'; reason: DeclineReason }>> = {
  SVC0001: { outcome: 'not_executed', reason: 'other' }, // service error
  SVC0002: { outcome: 'declined', reason: 'other' }, // invalid input value
  SVC0004: { outcome: 'declined', reason: 'invalid_subscriber' }, // no valid addresses
  SVC0270: { outcome: 'declined', reason: 'other' }, // charging failed
  POL0001: { outcome: 'declined', reason: 'other' }, // policy error
  POL0253: { outcome: 'declined', reason: 'barred' },
  POL1000: { outcome: 'declined', reason: 'insufficient_funds' },
  POL1001: { outcome: 'declined', reason: 'limit_exceeded' },
  POL1007: { outcome: 'declined', reason: 'not_supported' },
};

/**
 * HTTP statuses without an exception body. 503, 429 and 408 refuse before acceptance (not
 * executed); 400, 404, 405 and 422 reject the request itself (declined); anything else — 401/403
 * from a proxy, 5xx — may hide an applied request (unknown).
 */
export const NOT_EXECUTED_STATUSES: ReadonlySet<number> = new Set([503, 429, 408]);
export const DECLINING_STATUSES: ReadonlySet<number> = new Set([400, 404, 405, 422]);

export const NOT_SENT_ERRORS: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTSENT']);
