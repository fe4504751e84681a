import pg from 'pg';
import { ConfigError } from '../../config/load.js';

/** Arbitrary constant naming the lock held by a gateway that keeps its cache in process. */
const SOLE_INSTANCE_LOCK = 7_240_003;

/**
 * An in-process cache is not shared, so two instances on one database would each allow the full
 * rate limits. A gateway without Redis therefore holds a session advisory lock on its own
 * connection for its whole life, and a second one refuses to start.
 */
export async function claimSoleInstance(connectionString: string): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString });
  client.on('error', () => undefined);
  await client.connect();
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
    SOLE_INSTANCE_LOCK,
  ]);
  if (!rows[0]?.locked) {
    await client.end();
    throw new ConfigError(
      'invalid configuration: redisUrl (REDIS_URL): another gateway instance already uses this database with an ' +
        'in-process cache; set REDIS_URL to run several instances',
    );
  }
  return () => client.end();
}
