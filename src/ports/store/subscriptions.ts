import type { SubscriptionPeriod } from '../../domain/subscription-periods.js';

export type SubscriptionStatus = 'pending_validation' | 'active' | 'past_due' | 'suspended' | 'cancelled' | 'denied';

/** A subscription as stored. */
export interface SubscriptionRecord {
  id: string;
  merchant_id: string;
  phone_number: string;
  carrier_id: string;
  description: string;
  currency: string;
  amount_minor: bigint;
  period: SubscriptionPeriod;
  status: SubscriptionStatus;
  authorization_id: string;
  otp_digest: Buffer | null;
  otp_failures: number;
  code_deadline_at: Date | null;
  anchor_at: Date | null;
  next_period: number;
  next_try: number;
  next_charge_at: Date | null;
  reminded_period: number | null;
  cancel_at_period_end: boolean;
  leased_until: Date | null;
  sink: string | null;
  sink_credential_encrypted: string | null;
  created_at: Date;
  cancelled_at: Date | null;
  cancelled_by: string | null;
}

export type NewSubscription = Pick<
  SubscriptionRecord,
  | 'id'
  | 'merchant_id'
  | 'phone_number'
  | 'carrier_id'
  | 'description'
  | 'currency'
  | 'amount_minor'
  | 'period'
  | 'authorization_id'
  | 'otp_digest'
  | 'code_deadline_at'
  | 'sink'
  | 'sink_credential_encrypted'
  | 'created_at'
>;

/** What happened to the charge of a period, and what the subscription does next. */
export type RenewalOutcome =
  | { kind: 'charged'; nextChargeAt: Date }
  | { kind: 'retry'; nextChargeAt: Date }
  | { kind: 'suspended' }
  | { kind: 'cancelled' };

export interface SubscriptionStore {
  insert(subscription: NewSubscription): Promise<SubscriptionRecord>;
  find(id: string): Promise<SubscriptionRecord | undefined>;
  list(filter: { merchantId?: string; phoneNumber?: string; limit: number }): Promise<SubscriptionRecord[]>;
  /** Counts a wrong code while pending; at `maxAttempts` failures it is denied. The count after. */
  recordWrongCode(id: string, maxAttempts: number): Promise<number | undefined>;
  deny(id: string): Promise<void>;
  /**
   * pending_validation → active while the code checked is still the one stored and in time: the
   * anchor set and period 0 due now, leased to the caller (who charges it at once).
   */
  activate(id: string, whileCode: Buffer, now: Date, leaseUntil: Date): Promise<SubscriptionRecord | undefined>;
  /** Due subscriptions (active or past due, due by `now`, not leased), each leased until `leaseUntil`. */
  claimDue(now: Date, leaseUntil: Date, limit: number): Promise<SubscriptionRecord[]>;
  /** Records a period's outcome while the caller holds the lease for that period and try; the lease ends. */
  recordRenewal(
    id: string,
    period: number,
    attempt: number,
    outcome: RenewalOutcome,
    now: Date,
  ): Promise<SubscriptionRecord | undefined>;
  /** Ends the lease without an outcome (the charge's is not known yet: another run asks again). */
  release(id: string): Promise<void>;
  /** Subscriptions to remind of their next charge (due before `before`, not yet reminded for that period). */
  claimReminders(before: Date, limit: number): Promise<SubscriptionRecord[]>;
  /** Cancels now (`atPeriodEnd` false) or at the end of the paid period; the subscription as it is then. */
  cancel(id: string, by: string, at: Date, atPeriodEnd: boolean): Promise<SubscriptionRecord | undefined>;
  /** Cancels every live subscription of a number (of one merchant, when given); those cancelled. */
  cancelAllOfPhone(phoneNumber: string, by: string, at: Date, merchantId?: string): Promise<SubscriptionRecord[]>;
  /** The payments that charged (or tried to charge) its periods, oldest first. */
  charges(id: string): Promise<Array<{ payment_id: string; period: number; status: string }>>;
}
