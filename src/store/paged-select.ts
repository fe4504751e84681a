import type pg from 'pg';
import type { Queryable } from './database.js';

/** A filter: SQL with one `?` for its value; left out when the value is undefined. */
export type Filter = readonly [sql: string, value: unknown];

export interface Page {
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/**
 * One page of a table's rows matching the filters, newest or oldest first by creation, and how
 * many match in all (CAMARA's X-Total-Count). Table and fixed conditions are the caller's own SQL.
 */
// The caller names the row type of its table; the rows are read as that type.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export async function pagedSelect<R extends pg.QueryResultRow>(
  db: Queryable,
  table: string,
  fixed: string[],
  filters: Filter[],
  page: Page,
): Promise<{ rows: R[]; total: number }> {
  const where = [...fixed];
  const params: unknown[] = [];
  for (const [sql, value] of filters) {
    if (value === undefined) continue;
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  }
  const clause = where.length ? where.join(' AND ') : 'true';
  const order = page.order === 'asc' ? 'ASC' : 'DESC';
  const [{ rows }, count] = await Promise.all([
    // Page bounds as parameters: the text stays one of a few (each is prepared once; see statement-names.ts).
    db.query<R>(
      `SELECT * FROM ${table} WHERE ${clause} ORDER BY created_at ${order}, id ${order}
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, page.limit, page.offset],
    ),
    db.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${table} WHERE ${clause}`, params),
  ]);
  return { rows, total: Number(count.rows[0]?.n ?? 0n) };
}
