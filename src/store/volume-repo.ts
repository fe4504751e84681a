import type { Queryable } from './database.js';

export interface DailyVolume {
  day: string;
  carrier_id: string;
  payments: bigint;
  amount_minor: bigint;
}

/** Charged payments per UTC day and carrier since `from`, for the dashboard's chart. */
export async function dailyVolume(db: Queryable, from: Date): Promise<DailyVolume[]> {
  const { rows } = await db.query<DailyVolume>(
    `SELECT to_char(date_trunc('day', payment_date AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, carrier_id,
            count(*) AS payments, sum(amount_minor) AS amount_minor
       FROM payments WHERE status = 'succeeded' AND payment_date >= $1
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [from],
  );
  return rows;
}
