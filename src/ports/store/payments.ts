import type { PaymentEvent, PaymentStatus } from '../../domain/payment-state.js';
import type { Committed } from '../../domain/spending-limits.js';
import type { PaymentSignals, RiskDecision, RiskReason } from '../../domain/risk.js';
import type { AuditNote } from './audit.js';
import type { NewCertificate } from './certificates.js';

/** A payment as stored. */
export interface PaymentRecord {
  id: string;
  merchant_id: string;
  kind: 'two_step' | 'one_step';
  status: PaymentStatus;
  client_correlator: string | null;
  request_digest: string;
  reference_code: string;
  phone_number: string;
  carrier_id: string;
  amount_minor: bigint;
  currency: string;
  description: string;
  request: Record<string, unknown>;
  sink: string | null;
  sink_credential_encrypted: string | null;
  page_token_digest: Buffer | null;
  reservation_id: string | null;
  authorization_id: string | null;
  otp_digest: Buffer | null;
  otp_sends: number;
  otp_failures: number;
  otp_sent_at: Date | null;
  deadline_at: Date | null;
  denial_reason: string | null;
  /** The merchant was answered `processing` with the id before the carrier was asked (asynchronous mode). */
  completes_async: boolean;
  /** The phone user's standing consent this payment was made under (no code asked). */
  consent_id: string | null;
  /** The subscription, and its period, this payment charges. */
  subscription_id: string | null;
  subscription_period: number | null;
  /** What the risk rules decided (null: not decided by them, e.g. a subscription's renewal), and the rules that fired. */
  risk_decision: PaymentRiskDecision | null;
  risk_reasons: RiskReason[] | null;
  created_at: Date;
  payment_date: Date | null;
  updated_at: Date;
}

export type NewPayment = Pick<
  PaymentRecord,
  | 'id'
  | 'merchant_id'
  | 'kind'
  | 'status'
  | 'client_correlator'
  | 'request_digest'
  | 'reference_code'
  | 'phone_number'
  | 'carrier_id'
  | 'amount_minor'
  | 'currency'
  | 'description'
  | 'request'
  | 'sink'
  | 'sink_credential_encrypted'
  | 'deadline_at'
  | 'completes_async'
  | 'authorization_id'
  | 'consent_id'
  | 'subscription_id'
  | 'subscription_period'
  | 'risk_decision'
  | 'risk_reasons'
>;

/** The rules' decision as recorded: `step_up` is a `review` of a charge without a code, which then asked for one. */
export type PaymentRiskDecision = RiskDecision | 'step_up';

/** A purchase history of a number, as the risk rules read it. */
export type PurchaseHistory = Pick<PaymentSignals, 'lastHour' | 'lastDay' | 'everPurchased' | 'failedCodesLastDay'>;

/** A consent code just issued: only its digest is kept, never the code. */
export type IssuedCode = Pick<PaymentRecord, 'otp_sends' | 'authorization_id'> & {
  otp_digest: Buffer;
  otp_sent_at: Date;
  deadline_at: Date;
};

/** How a payment ends (PaymentStore.end). */
export interface Ending {
  event: EndingEvent;
  releaseOperationId: string;
  denialReason?: string;
  /** The wrong tries so far, when the last one ends the payment. */
  failures?: number;
  /**
   * The reserve's answer never came: the carrier may hold a reservation the payment has no id
   * for, so its release is recorded all the same (by the payment's reservation reference).
   */
  reservationUnanswered?: boolean;
}

/** Events that end a payment; those that end a reserved one also record the release of its reservation. */
export type EndingEvent = Extract<
  PaymentEvent,
  | 'reservation_declined'
  | 'async_reservation_declined'
  | 'validation_failed'
  | 'validation_expired'
  | 'cancel_requested'
  | 'reservation_expired'
  | 'limit_exceeded'
  | 'charge_declined'
  | 'one_step_declined'
  | 'review_declined'
  | 'review_lapsed'
>;

export interface PaymentFilter {
  merchantId?: string;
  statuses?: PaymentStatus[];
  phoneNumber?: string;
  createdFrom?: Date;
  createdTo?: Date;
  chargingMerchantIdentifier?: string;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/**
 * Payments. Every change is one atomic statement that also writes the change's audit row and what
 * must never be found apart from it (a charge's intent, a reservation's release, the gift
 * certificate). A change happens only from a state the payment machine allows for it (a new code
 * or a wrong one only while the payment awaits validation, an unknown outcome only while it is
 * being charged); otherwise it returns undefined: the payment had moved on.
 */
export interface PaymentStore {
  find(id: string): Promise<PaymentRecord | undefined>;
  findByPageToken(digest: Buffer): Promise<PaymentRecord | undefined>;
  /** The live (not rejected) payment of a merchant holding a clientCorrelator, or else the referenceCode. */
  findLiveDuplicate(
    merchantId: string,
    clientCorrelator: string | null,
    referenceCode: string,
  ): Promise<PaymentRecord | undefined>;
  /** Payments a merchant or an operator can see (never the hidden reserving/rejected ones), and their total. */
  list(filter: PaymentFilter): Promise<{ rows: PaymentRecord[]; total: number }>;

  /**
   * A new payment, unless its clientCorrelator or referenceCode is taken by a live payment of the
   * merchant (undefined then; the unique indexes decide, so concurrent duplicates cannot both get
   * in). With `chargeOperationId`, a one-step charge's intent is written with it.
   */
  recordNew(
    payment: NewPayment,
    now: Date,
    audit: AuditNote,
    chargeOperationId?: string,
  ): Promise<PaymentRecord | undefined>;
  /**
   * What a phone number committed this month at merchants of one category (live and charged
   * payments, less refunds), but `excludePaymentId`. Read after `lockSpending` took the number's
   * lock, in the same transaction, so concurrent payments cannot both squeeze under a cap.
   */
  categorySpent(phoneNumber: string, category: string, monthStart: Date, excludePaymentId?: string): Promise<bigint>;
  /**
   * A payment the risk rules denied, kept `rejected` with the decision (no carrier was asked, the
   * merchant got no id) so an operator sees it; its clientCorrelator and referenceCode stay free.
   */
  recordDenied(payment: NewPayment, now: Date, audit: AuditNote): Promise<PaymentRecord>;
  /** The number's purchases in the hour and the day before `now`, its wrong codes, and whether it ever bought. */
  purchaseHistory(phoneNumber: string, now: Date): Promise<PurchaseHistory>;
  /** reserving → held: reserved at the carrier, no code sent until an operator approves, or `deadline`. */
  recordHeld(
    id: string,
    held: { reservationId: string; deadline: Date; pageTokenDigest?: Buffer },
    now: Date,
    audit: AuditNote,
  ): Promise<PaymentRecord | undefined>;
  /** held → pending_validation: approved by an operator; the first code goes out. */
  recordReviewApproved(id: string, code: IssuedCode, now: Date, audit: AuditNote): Promise<PaymentRecord | undefined>;
  /** reserving → reserved: under a standing consent, no code is asked. */
  recordReservationUnderConsent(
    id: string,
    reservationId: string,
    deadline: Date,
    now: Date,
    audit: AuditNote,
  ): Promise<PaymentRecord | undefined>;
  /** reserving → pending_validation: the carrier reserved the amount and the first code goes out. */
  recordReservation(
    id: string,
    reservation: { reservationId: string; code: IssuedCode; pageTokenDigest?: Buffer },
    now: Date,
    audit: AuditNote,
  ): Promise<PaymentRecord | undefined>;
  /** A new code replaces the last one. */
  recordCodeResent(id: string, code: IssuedCode, now: Date, audit: AuditNote): Promise<PaymentRecord | undefined>;
  /** A wrong code, counted. */
  recordWrongCode(id: string, failures: number, now: Date, audit: AuditNote): Promise<PaymentRecord | undefined>;
  /**
   * pending_validation → reserved until `deadline`; the code is spent. With `whileCode`, only while
   * the payment's code is still that one (a resend, the last wrong try or a cancel replaces it).
   */
  recordCodeValidated(
    id: string,
    validated: { deadline: Date; whileCode?: Buffer },
    now: Date,
    audit: AuditNote,
  ): Promise<PaymentRecord | undefined>;
  /** reserved → charging, with the charge's intent under `operationId`. */
  recordChargeRequested(
    id: string,
    operationId: string,
    now: Date,
    audit: AuditNote,
  ): Promise<PaymentRecord | undefined>;
  /**
   * `from` → succeeded: the charge's outcome, the payment date, the one gift certificate and the
   * audit row, in one statement.
   */
  recordChargeSucceeded(
    id: string,
    charge: { from: PaymentStatus; operationId: string; tries: number; certificate: NewCertificate },
    now: Date,
    audit: AuditNote,
  ): Promise<PaymentRecord | undefined>;
  /** The charge's outcome is unknown: the payment stays charging (CAMARA processing), for recovery. */
  recordChargeUnknown(id: string, now: Date, audit: AuditNote): Promise<PaymentRecord | undefined>;
  /** charging → manual_review: recovery could not learn the charge's outcome. */
  recordManualReview(id: string, now: Date, audit: AuditNote): Promise<PaymentRecord | undefined>;
  /** denied → manual_review: the carrier applied a charge of a payment already ended. */
  recordLateCharge(id: string, now: Date, audit: AuditNote): Promise<PaymentRecord | undefined>;
  /**
   * Ends a payment by `event`. A payment holding a reservation, or maybe holding one
   * (`reservationUnanswered`), gets its release recorded under `releaseOperationId` (carried out
   * after commit; retried by the expiry job).
   */
  end(id: string, ending: Ending, now: Date, audit: AuditNote): Promise<PaymentRecord | undefined>;
}

/** What only a transaction may do with payments: lock them, so a decision holds until commit. */
export interface LockingPaymentStore extends PaymentStore {
  lock(id: string): Promise<PaymentRecord | undefined>;
  lockOfMerchant(id: string, merchantId: string): Promise<PaymentRecord | undefined>;
  /** Payments in `statuses` whose deadline passed, locked (skipping those another transaction holds). */
  claimLapsed(statuses: PaymentStatus[], now: Date, limit: number): Promise<PaymentRecord[]>;
  /**
   * Locks spending for a phone number (and, with a daily cap, the merchant) until commit, so two
   * payments cannot both fit under a limit only one of them fits; then what each committed.
   */
  lockSpending(
    phoneNumber: string,
    merchant: { id: string; dailyCapMinor: number | null },
    now: Date,
    excludePaymentId?: string,
  ): Promise<Committed>;
}
