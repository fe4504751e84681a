import type { Database, Queryable, Transaction } from './database.js';

/**
 * Where a store's statements run: on the pool (each statement commits alone) or in a transaction.
 * An operation of several statements runs them `atomically`: in the transaction it is already in,
 * or in one of its own.
 */
export interface Session {
  readonly q: Queryable;
  /** Whether `COPY … FROM STDIN` works (not on the embedded server). */
  readonly supportsCopy: boolean;
  atomically<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
}

export function poolSession(db: Database): Session {
  return { q: db, supportsCopy: db.supportsCopy, atomically: (work) => db.transaction(work) };
}

export function transactionSession(tx: Transaction, db: Database): Session {
  return { q: tx, supportsCopy: db.supportsCopy, atomically: (work) => work(tx) };
}
