import pg from 'pg';

// bigint columns come back as JS bigint: money never passes through a float.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => BigInt(value));

export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** The connection a transaction runs on (for what needs the client itself, such as COPY). */
export type Transaction = pg.PoolClient;

export interface Database extends Queryable {
  /** Runs `work` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Whether `COPY … FROM STDIN` works (not on the embedded server). */
  readonly supportsCopy: boolean;
  close(): Promise<void>;
}

export function createDatabase(connectionString: string, poolSize: number, supportsCopy = true): Database {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle client that loses its server must not take the process down; the next query reconnects.
  pool.on('error', () => undefined);
  return {
    query: (text, params) => pool.query(text, params),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    supportsCopy,
    close: () => pool.end(),
  };
}
