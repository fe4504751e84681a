import type { Backlogs, Store, StoreTransaction } from '../ports/store/store.js';
import { AccessTokensTable } from './access-tokens.js';
import { AuditTable } from './audit.js';
import { CarrierOperationsTable } from './carrier-operations.js';
import { CertificatesTable } from './certificates.js';
import { RedemptionsTable } from './redemptions.js';
import type { Database } from './database.js';
import { ConsentsTable } from './consents.js';
import { PhoneControlsTable } from './phone-controls.js';
import { RiskTables } from './risk.js';
import { PhoneUserSessionsTable } from './phone-user-sessions.js';
import { SubscriptionsTable } from './subscriptions.js';
import { GrantsTable } from './grants.js';
import { JobsTable } from './jobs.js';
import { JobRunLogTable } from './job-run-log.js';
import { MerchantsTable } from './merchants.js';
import { OperatorsTable } from './operators.js';
import { NotificationOutbox } from './notifications.js';
import { unobserved, type StoreObserver } from './observer.js';
import { PaymentsTable } from './payments.js';
import { ReconciliationTables } from './reconciliation.js';
import { RefundsTable } from './refunds.js';
import { Reports } from './reports.js';
import { poolSession, transactionSession, type Session } from './session.js';

/**
 * The Store port on PostgreSQL. One object per session: on the pool for the whole process, and a
 * short-lived one per transaction, whose operations all run in that transaction.
 */
class PgStore implements StoreTransaction {
  readonly payments: PaymentsTable;
  readonly operations: CarrierOperationsTable;
  readonly certificates: CertificatesTable;
  readonly redemptions: RedemptionsTable;
  readonly refunds: RefundsTable;
  readonly merchants: MerchantsTable;
  readonly tokens: AccessTokensTable;
  readonly grants: GrantsTable;
  readonly consents: ConsentsTable;
  readonly phoneControls: PhoneControlsTable;
  readonly risk: RiskTables;
  readonly phoneUserSessions: PhoneUserSessionsTable;
  readonly subscriptions: SubscriptionsTable;
  readonly operators: OperatorsTable;
  readonly audit: AuditTable;
  readonly reconciliation: ReconciliationTables;
  readonly notifications: NotificationOutbox;
  readonly jobs: JobsTable;
  readonly jobRunLog: JobRunLogTable;
  readonly reports: Reports;

  constructor(
    private readonly db: Database,
    private readonly session: Session,
    private readonly inTransaction: boolean,
    private readonly observer: StoreObserver,
  ) {
    this.payments = new PaymentsTable(session, observer);
    this.operations = new CarrierOperationsTable(session);
    this.certificates = new CertificatesTable(session);
    this.redemptions = new RedemptionsTable(session);
    this.refunds = new RefundsTable(session);
    this.merchants = new MerchantsTable(session);
    this.tokens = new AccessTokensTable(session);
    this.grants = new GrantsTable(session);
    this.consents = new ConsentsTable(session);
    this.phoneControls = new PhoneControlsTable(session);
    this.risk = new RiskTables(session);
    this.phoneUserSessions = new PhoneUserSessionsTable(session);
    this.subscriptions = new SubscriptionsTable(session);
    this.operators = new OperatorsTable(session);
    this.audit = new AuditTable(session);
    this.reconciliation = new ReconciliationTables(session);
    this.notifications = new NotificationOutbox(session);
    this.jobs = new JobsTable(session);
    this.jobRunLog = new JobRunLogTable(session);
    this.reports = new Reports(session);
  }

  async transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    // A transaction inside a transaction is the same transaction.
    if (this.inTransaction) return work(this);
    let session: ReturnType<typeof transactionSession> | undefined;
    const result = await this.db.transaction(async (tx) => {
      session = transactionSession(tx, this.db);
      try {
        return await work(new PgStore(this.db, session, true, this.observer));
      } finally {
        session.end();
      }
    });
    session?.committed();
    return result;
  }

  async backlogs(): Promise<Backlogs> {
    const { rows } = await this.session.q.query<{
      manual_review: bigint;
      recovery: bigint;
      outbox: bigint;
      oldest_seconds: number | null;
    }>(
      `SELECT (SELECT count(*) FROM payments WHERE status = 'manual_review') AS manual_review,
              (SELECT count(*) FROM carrier_operations
                WHERE outcome IN ('pending', 'unknown') AND operation <> 'release'
                  AND (outcome = 'unknown' OR created_at < now() - interval '1 minute')) AS recovery,
              (SELECT count(*) FROM notification_outbox WHERE status = 'pending') AS outbox,
              (SELECT extract(epoch FROM now() - min(created_at))::float8 FROM notification_outbox
                WHERE status = 'pending') AS oldest_seconds`,
    );
    const row = rows[0];
    return {
      manualReview: Number(row?.manual_review ?? 0),
      recovery: Number(row?.recovery ?? 0),
      outbox: Number(row?.outbox ?? 0),
      oldestUndeliveredSeconds: row?.oldest_seconds ?? 0,
    };
  }

  async ping(): Promise<boolean> {
    return this.session.q.query('SELECT 1').then(
      () => true,
      () => false,
    );
  }
}

export function createStore(db: Database, observer: StoreObserver = unobserved): Store {
  return new PgStore(db, poolSession(db), false, observer);
}
