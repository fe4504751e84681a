import type { CarrierOutcome } from '../carrier.js';
import type { EventNote } from './audit.js';

export type OperationKind = 'charge_reservation' | 'release' | 'charge_amount' | 'refund';

/** An operation sent to a carrier: its intent is written before the call, its outcome after. */
export interface OperationRecord {
  /** Sent to the carrier as Parlay X referenceCode / OneAPI clientCorrelator. */
  id: string;
  payment_id: string;
  carrier_id: string;
  operation: OperationKind;
  amount_minor: bigint;
  currency: string;
  outcome: 'pending' | 'succeeded' | 'declined' | 'not_executed' | 'unknown';
  detail: string | null;
  tries: number;
  recovery_attempts: number;
  refund_id: string | null;
}

export interface CarrierOperationStore {
  ofPayment(paymentId: string): Promise<OperationRecord[]>;
  /**
   * What the carrier answered. A settled outcome (succeeded, declined) is never overwritten:
   * whoever learns it first (the request, recovery, a statement) wins.
   */
  recordOutcome(id: string, outcome: CarrierOutcome<unknown>, tries: number, now: Date): Promise<void>;
  /** A release's outcome and the payment's audit row about it, atomically. */
  recordReleaseOutcome(
    release: { id: string; paymentId: string; merchantId: string },
    outcome: CarrierOutcome<unknown>,
    tries: number,
    now: Date,
    audit: EventNote,
  ): Promise<void>;
  /** A recovery try that learned nothing: the next try in `seconds` (the claim's lease ends). */
  retryRecoveryIn(id: string, seconds: number): Promise<void>;
  /** Extends the lease of claimed operations still unresolved (the claiming instance is alive and working). */
  renewRecoveryLeases(ids: string[], leaseSeconds: number): Promise<void>;
}

/** Claims for the jobs, each with a lease so no other instance takes the same work meanwhile. */
export interface LockingCarrierOperationStore extends CarrierOperationStore {
  /**
   * Operations whose outcome recovery must find: charges of payments still charging, or refunds
   * still processing, that are `unknown` or still `pending` after `graceSeconds` (their process
   * died between intent and outcome). Times are the database's own clock.
   */
  claimToRecover(
    kind: 'charge' | 'refund',
    graceSeconds: number,
    leaseSeconds: number,
    limit: number,
  ): Promise<OperationRecord[]>;
  /** Releases recorded but not carried out (a crash, an unreachable carrier). */
  claimReleasesToRetry(now: Date, createdBefore: Date, leaseUntil: Date, limit: number): Promise<OperationRecord[]>;
}
