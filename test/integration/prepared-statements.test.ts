import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/ports/unavailable.js';
import { createDatabase } from '../../src/store/database.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/store/embedded.js';
import { freshDatabase } from '../helpers/database.js';
import { until } from '../helpers/wait.js';

/**
 * Statements are prepared under names once per connection (statement-names.ts). Two ways that can
 * go wrong: a server session that outlives its client (the embedded server keeps one), and a
 * table changed by a migration after a statement on it was prepared.
 */
describe('prepared statements', () => {
  let url: string;
  let embedded = false;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase();
    if (fresh.url) {
      url = fresh.url;
      cleanup = () => fresh.drop();
    } else {
      const server: EmbeddedPostgres = await startEmbeddedPostgres('memory://');
      url = server.connectionString;
      cleanup = () => server.stop();
      embedded = true;
    }
  });
  afterAll(async () => cleanup());

  it('survive a new client on the same server session', async () => {
    for (let round = 1; round <= 2; round++) {
      const db = createDatabase(url, 1, { embedded });
      // The embedded server takes the next connection once it has let go of the last one.
      const answer = await until(
        () => db.query<{ n: number }>('SELECT $1::int + 1 AS n', [round]).catch((error: unknown) => error),
        // A refused connection is the port's StoreUnavailableError ("Connection terminated unexpectedly").
        (a) => !(a instanceof StoreUnavailableError),
      );
      expect(answer).toMatchObject({ rows: [{ n: round + 1 }] });
      await db.close();
    }
  });

  // Another instance's migration: a server thing (the embedded one serves one gateway, which
  // migrates before it serves).
  it.skipIf(!process.env.DATABASE_URL)(
    'recover after a migration changed their table: the failing connection is dropped',
    async () => {
      const db = createDatabase(url, 1);
      await db.query('CREATE TABLE widgets (id int PRIMARY KEY)');
      await db.query('INSERT INTO widgets VALUES ($1)', [1]);
      const read = () =>
        db.transaction(async (tx) => (await tx.query('SELECT * FROM widgets WHERE id = $1', [1])).rows[0]);
      expect(await read()).toEqual({ id: 1 });

      await db.query('ALTER TABLE widgets ADD COLUMN colour text');

      // The statement prepared before the change fails once, then runs on a fresh connection.
      await expect(read()).rejects.toMatchObject({ code: '0A000' });
      expect(await read()).toEqual({ id: 1, colour: null });
      await db.close();
    },
  );
});
