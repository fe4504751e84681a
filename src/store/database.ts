import pg from 'pg';
import { StoreUnavailableError } from '../ports/unavailable.js';
import { isConnectionError } from './connection-errors.js';
import { clientFollowing, parseHostList, PrimaryTracker } from './primary-hosts.js';
import { statementName } from './statement-names.js';

// bigint columns come back as JS bigint: money never passes through a float.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => BigInt(value));

export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** A transaction's statements, and the connection it runs on for what needs it (COPY). */
export interface Transaction extends Queryable {
  readonly client: pg.PoolClient;
}

export interface Database extends Queryable {
  /** Runs `work` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Whether `COPY … FROM STDIN` works (not on the embedded server). */
  readonly supportsCopy: boolean;
  /** The one-host URL of the server in use (the primary found, when DATABASE_URL lists several). */
  currentUrl(): string;
  close(): Promise<void>;
}

async function forgetPreparedStatements(client: pg.ClientBase): Promise<void> {
  await client.query('DEALLOCATE ALL');
}

/**
 * A pool on a PostgreSQL server, or on whichever of several listed servers is the primary
 * (`postgres://h1:5432,h2:5433/db?target_session_attrs=read-write`). A statement or transaction
 * whose connection failed answers the port's StoreUnavailableError (and sends the tracker looking
 * for the primary again). `embedded`: the in-process server, which takes one connection at a
 * time, cannot COPY, and keeps one session across reconnections.
 */
export function createDatabase(connectionString: string, poolSize: number, { embedded = false } = {}): Database {
  // Several hosts (libpq style): connect to the one the tracker found, and look again on failure.
  const hostList = parseHostList(connectionString);
  const tracker = hostList ? new PrimaryTracker(hostList) : undefined;
  const located = tracker?.find();
  const unavailableOr = (error: unknown): unknown => {
    if (!isConnectionError(error)) return error;
    void tracker?.find();
    return new StoreUnavailableError(error);
  };
  const run = async <R extends pg.QueryResultRow>(
    on: pg.Pool | pg.PoolClient,
    text: string,
    params: unknown[] | undefined,
  ): Promise<pg.QueryResult<R>> => {
    await located;
    const name = params?.length ? statementName(text) : undefined;
    try {
      return await (name ? on.query<R>({ name, text, values: params }) : on.query<R>(text, params));
    } catch (error) {
      throw unavailableOr(error);
    }
  };
  const pool = new pg.Pool({
    ...(tracker ? { Client: clientFollowing(tracker) } : { connectionString }),
    max: poolSize,
    // Short statements only: PostgreSQL's JIT compiles a plan it thinks costly for tens of
    // milliseconds (the outbox claim: 26 ms of JIT for 3 ms of work), so it is off for our sessions.
    ...(embedded ? {} : { options: '-c jit=off' }),
    // A new client knows no prepared statements, but the embedded server's one session may: forget
    // them there before the client is used. (pg-pool waits for the hook's promise before it hands the
    // client out, though @types/pg types the hook as returning void.)
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    onConnect: embedded ? forgetPreparedStatements : undefined,
    // A server that does not answer (a failover, a dropped network) fails the request in seconds.
    connectionTimeoutMillis: 5_000,
    keepAlive: true,
  });
  // A client that loses its server, idle in the pool or checked out for a transaction (pg-pool
  // drops its own listener then), must not take the process down: the error reaches the query
  // that was running, and the pool replaces the client.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return {
    query: (text, params) => run(pool, text, params),
    async transaction(work) {
      await located;
      const client = await pool.connect().catch((error: unknown) => {
        throw unavailableOr(error);
      });
      let failure: unknown;
      try {
        // Explicitly: the limit checks rely on each statement seeing what committed before it.
        await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
        const result = await work({ client, query: (text, params) => run(client, text, params) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        failure = error;
        await client.query('ROLLBACK').catch(() => undefined);
        throw unavailableOr(error);
      } finally {
        // A statement prepared before a migration changed its table fails on this connection from
        // now on, and a broken one is broken: drop the connection, as the pool does after a failed
        // single query.
        const drop = isStalePlan(failure) || failure instanceof StoreUnavailableError || isConnectionError(failure);
        client.release(drop ? (failure as Error) : undefined);
      }
    },
    supportsCopy: !embedded,
    currentUrl: () => tracker?.url() ?? connectionString,
    close: () => pool.end(),
  };
}

/** "cached plan must not change result type": a prepared statement outlived a schema change. */
function isStalePlan(error: unknown): boolean {
  const e = error as { code?: string; routine?: string } | undefined;
  return e?.code === '0A000' && e.routine === 'RevalidateCachedQuery';
}
