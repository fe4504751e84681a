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
  /** Runs `effect` once what was just written is committed: at once on the pool, after COMMIT in a transaction. */
  afterCommit(effect: () => void): void;
}

export function poolSession(db: Database): Session {
  return {
    q: db,
    supportsCopy: db.supportsCopy,
    atomically: (work) => db.transaction(work),
    afterCommit: (effect) => effect(),
  };
}

/**
 * A session on one transaction, and `end()` for when the transaction is over: its connection goes
 * back to the pool, so a statement sent through a store kept past that point must fail, not run
 * on whatever the connection does next.
 */
export function transactionSession(tx: Transaction, db: Database): Session & { end(): void; committed(): void } {
  let ended = false;
  const effects: Array<() => void> = [];
  const live = () => {
    if (ended) throw new Error('a transaction store was used after its transaction ended');
    return tx;
  };
  return {
    get q() {
      return live();
    },
    supportsCopy: db.supportsCopy,
    atomically: (work) => work(live()),
    afterCommit: (effect) => effects.push(effect),
    end: () => {
      ended = true;
    },
    committed: () => {
      for (const effect of effects.splice(0)) effect();
    },
  };
}
