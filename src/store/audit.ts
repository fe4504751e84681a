import type { AdministrativeAction, AuditEvent, AuditRecord, AuditStore } from '../ports/store/audit.js';
import type { Queryable } from './database.js';
import type { Session } from './session.js';

export class AuditTable implements AuditStore {
  constructor(private readonly session: Session) {}

  record(event: AuditEvent) {
    return recordAudit(this.session.q, event);
  }

  async recordAction(a: AdministrativeAction) {
    await this.session.q.query('INSERT INTO audit_events (merchant_id, actor, event, detail) VALUES ($1, $2, $3, $4)', [
      a.merchantId ?? null,
      a.actor,
      a.event,
      a.detail ? JSON.stringify(a.detail) : null,
    ]);
  }

  async actions(limit: number, merchantId?: string) {
    const { rows } = await this.session.q.query<AuditRecord>(
      `SELECT * FROM audit_events WHERE payment_id IS NULL AND ($2::text IS NULL OR merchant_id = $2)
       ORDER BY id DESC LIMIT $1`,
      [limit, merchantId ?? null],
    );
    return rows;
  }

  async trail(paymentId: string) {
    const { rows } = await this.session.q.query<AuditRecord>(
      'SELECT * FROM audit_events WHERE payment_id = $1 ORDER BY id',
      [paymentId],
    );
    return rows;
  }
}

/** An audit row about a payment, beside whatever else the same transaction writes. */
export async function recordAudit(q: Queryable, e: AuditEvent): Promise<void> {
  await q.query(
    `INSERT INTO audit_events (payment_id, merchant_id, actor, event, sms_text, detail)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [e.paymentId, e.merchantId, e.actor, e.event, e.smsText ?? null, e.detail ? JSON.stringify(e.detail) : null],
  );
}
