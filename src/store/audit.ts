import type { AuditEvent, AuditRecord, AuditStore } from '../ports/store/audit.js';
import type { Queryable } from './database.js';
import type { Session } from './session.js';

export class AuditTable implements AuditStore {
  constructor(private readonly session: Session) {}

  record(event: AuditEvent) {
    return recordAudit(this.session.q, event);
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
