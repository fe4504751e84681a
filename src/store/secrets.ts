import { missing } from '../ports/store/missing-row.js';
import type { Queryable } from './database.js';

/** Returns the stored value of a named secret, storing `candidate` first if there is none. */
export async function getOrCreateSecret(db: Queryable, name: string, candidate: string): Promise<string> {
  await db.query('INSERT INTO gateway_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    candidate,
  ]);
  const { rows } = await db.query<{ value: string }>('SELECT value FROM gateway_secrets WHERE name = $1', [name]);
  return rows[0]?.value ?? missing('gateway_secrets', name);
}
