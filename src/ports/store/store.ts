import type { RiskStore } from './risk.js';
import type { AuditStore } from './audit.js';
import type { CarrierOperationStore, LockingCarrierOperationStore } from './carrier-operations.js';
import type { CertificateStore, LockingCertificateStore } from './certificates.js';
import type { LockingRedemptionStore, RedemptionStore } from './redemptions.js';
import type { JobStore, LockingJobStore } from './jobs.js';
import type { JobRunLogStore } from './job-run-log.js';
import type { ConsentStore } from './consents.js';
import type { PhoneControlStore } from './phone-controls.js';
import type { PhoneUserSessionStore } from './phone-user-sessions.js';
import type { SubscriptionStore } from './subscriptions.js';
import type { GrantStore } from './grants.js';
import type { AccessTokenStore, MerchantStore } from './merchants.js';
import type { LockingNotificationStore, NotificationStore } from './notifications.js';
import type { OperatorStore } from './operators.js';
import type { LockingPaymentStore, PaymentStore } from './payments.js';
import type { ReconciliationStore } from './reconciliation.js';
import type { RefundStore } from './refunds.js';
import type { ReportStore } from './reports.js';

/**
 * Everything the gateway keeps. Each operation is atomic on its own and says what it does; how it
 * is written (SQL, the statements it takes) stays behind this door.
 */
export interface Store {
  readonly payments: PaymentStore;
  readonly operations: CarrierOperationStore;
  readonly certificates: CertificateStore;
  readonly redemptions: RedemptionStore;
  readonly refunds: RefundStore;
  readonly merchants: MerchantStore;
  readonly tokens: AccessTokenStore;
  /** Phone users' grants to merchants (three-legged access) and the requests on the way to them. */
  readonly grants: GrantStore;
  /** Phone users' standing consents to merchants' charges. */
  readonly consents: ConsentStore;
  /** Phone users' own block and limit. */
  readonly phoneControls: PhoneControlStore;
  /** The cash-out defence's rules, and what they decided. */
  readonly risk: RiskStore;
  /** The self-service page's sign-ins and sessions. */
  readonly phoneUserSessions: PhoneUserSessionStore;
  /** Subscriptions: a fixed amount every month or week. */
  readonly subscriptions: SubscriptionStore;
  readonly operators: OperatorStore;
  readonly audit: AuditStore;
  readonly reconciliation: ReconciliationStore;
  readonly notifications: NotificationStore;
  readonly jobs: JobStore;
  readonly jobRunLog: JobRunLogStore;
  readonly reports: ReportStore;
  /**
   * Runs `work` in one transaction (READ COMMITTED): commits when it resolves, rolls back when it
   * throws. Only inside one can rows be locked and claimed, so a decision holds until commit.
   * Called on a transaction's store, it runs `work` in that same transaction (no savepoint: an
   * error inside ends the whole transaction). A transaction's store is unusable after its commit.
   */
  transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T>;
  /** Whether the database answers. */
  ping(): Promise<boolean>;
  /** What waits: for people, for recovery, for delivery. */
  backlogs(): Promise<Backlogs>;
}

export interface Backlogs {
  /** Payments in manual review. */
  manualReview: number;
  /** Charges and refunds whose outcome the gateway does not know yet. */
  recovery: number;
  /** Notifications not yet delivered, and how long the oldest has waited. */
  outbox: number;
  oldestUndeliveredSeconds: number;
}

/** The store inside a transaction: every operation, plus the locks and claims. */
export interface StoreTransaction extends Store {
  readonly payments: LockingPaymentStore;
  readonly operations: LockingCarrierOperationStore;
  readonly certificates: LockingCertificateStore;
  readonly redemptions: LockingRedemptionStore;
  readonly notifications: LockingNotificationStore;
  readonly jobs: LockingJobStore;
}
