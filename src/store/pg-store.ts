import type { Store, StoreTransaction } from '../ports/store/store.js';
import { AccessTokensTable } from './access-tokens.js';
import { AuditTable } from './audit.js';
import { CarrierOperationsTable } from './carrier-operations.js';
import { CertificatesTable } from './certificates.js';
import type { Database } from './database.js';
import { JobsTable } from './jobs.js';
import { MerchantsTable } from './merchants.js';
import { NotificationOutbox } from './notifications.js';
import { PaymentsTable } from './payments.js';
import { ReconciliationTables } from './reconciliation.js';
import { RefundsTable } from './refunds.js';
import { poolSession, transactionSession, type Session } from './session.js';

/**
 * The Store port on PostgreSQL. One object per session: on the pool for the whole process, and a
 * short-lived one per transaction, whose operations all run in that transaction.
 */
class PgStore implements StoreTransaction {
  readonly payments: PaymentsTable;
  readonly operations: CarrierOperationsTable;
  readonly certificates: CertificatesTable;
  readonly refunds: RefundsTable;
  readonly merchants: MerchantsTable;
  readonly tokens: AccessTokensTable;
  readonly audit: AuditTable;
  readonly reconciliation: ReconciliationTables;
  readonly notifications: NotificationOutbox;
  readonly jobs: JobsTable;

  constructor(
    private readonly db: Database,
    private readonly session: Session,
    private readonly inTransaction: boolean,
  ) {
    this.payments = new PaymentsTable(session);
    this.operations = new CarrierOperationsTable(session);
    this.certificates = new CertificatesTable(session);
    this.refunds = new RefundsTable(session);
    this.merchants = new MerchantsTable(session);
    this.tokens = new AccessTokensTable(session);
    this.audit = new AuditTable(session);
    this.reconciliation = new ReconciliationTables(session);
    this.notifications = new NotificationOutbox(session);
    this.jobs = new JobsTable(session);
  }

  transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    // A transaction inside a transaction is the same transaction.
    if (this.inTransaction) return work(this);
    return this.db.transaction(async (tx) => {
      const session = transactionSession(tx, this.db);
      try {
        return await work(new PgStore(this.db, session, true));
      } finally {
        session.end();
      }
    });
  }

  async ping(): Promise<boolean> {
    return this.session.q.query('SELECT 1').then(
      () => true,
      () => false,
    );
  }
}

export function createStore(db: Database): Store {
  return new PgStore(db, poolSession(db), false);
}
