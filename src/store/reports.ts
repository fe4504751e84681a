import type { CarrierVolume, DailyVolume, Funnel, ReportStore } from '../ports/store/reports.js';
import type { Session } from './session.js';

export class Reports implements ReportStore {
  constructor(private readonly session: Session) {}

  async dailyVolume(from: Date) {
    const { rows } = await this.session.q.query<DailyVolume>(
      `SELECT to_char(date_trunc('day', payment_date AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, carrier_id,
              count(*) AS payments
         FROM payments WHERE status = 'succeeded' AND payment_date >= $1
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [from],
    );
    return rows;
  }

  /** The audit trail, indexed by time, names each charge: no scan of the payments table. */
  async volumeSince(from: Date): Promise<CarrierVolume[]> {
    const { rows } = await this.session.q.query<{ carrier_id: string; currency: string; n: bigint; sum: string }>(
      `SELECT p.carrier_id, p.currency, count(*) AS n, sum(p.amount_minor)::text AS sum
         FROM audit_events a JOIN payments p ON p.id = a.payment_id
        WHERE a.created_at >= $1 AND a.event = 'charged' AND p.status = 'succeeded'
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [from],
    );
    return rows.map((r) => ({
      carrierId: r.carrier_id,
      currency: r.currency,
      payments: Number(r.n),
      amountMinor: BigInt(r.sum),
    }));
  }

  async funnelSince(from: Date): Promise<Funnel> {
    const { rows } = await this.session.q.query<{
      prepared: bigint;
      validated: bigint;
      confirmed: bigint;
      succeeded: bigint;
    }>(
      `SELECT count(DISTINCT a.payment_id) FILTER (WHERE a.event = 'code_sent' AND a.from_status = 'reserving') AS prepared,
              count(DISTINCT a.payment_id) FILTER (WHERE a.event = 'code_validated') AS validated,
              count(DISTINCT a.payment_id) FILTER (WHERE a.event = 'confirm_requested') AS confirmed,
              count(DISTINCT a.payment_id) FILTER (WHERE a.event = 'charged') AS succeeded
         FROM audit_events a JOIN payments p ON p.id = a.payment_id AND p.kind = 'two_step'
        WHERE a.created_at >= $1 AND a.event IN ('code_sent', 'code_validated', 'confirm_requested', 'charged')`,
      [from],
    );
    const row = rows[0];
    return {
      prepared: Number(row?.prepared ?? 0),
      validated: Number(row?.validated ?? 0),
      confirmed: Number(row?.confirmed ?? 0),
      succeeded: Number(row?.succeeded ?? 0),
    };
  }

  async declinesSince(from: Date) {
    const { rows } = await this.session.q.query<{ reason: string; n: bigint }>(
      `SELECT COALESCE(p.denial_reason, 'denied') AS reason, count(DISTINCT p.id) AS n
         FROM audit_events a JOIN payments p ON p.id = a.payment_id
        WHERE a.created_at >= $1 AND a.to_status IN ('denied', 'rejected')
        GROUP BY 1 ORDER BY 2 DESC, 1`,
      [from],
    );
    return rows.map((r) => ({ reason: r.reason, payments: Number(r.n) }));
  }
}
